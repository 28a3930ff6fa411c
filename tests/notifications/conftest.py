import pytest

from tillsammans.notifications import sms


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def dummy_tasks(settings):
    """Tasks are recorded, not run: ``dummy_tasks.results`` lists what was enqueued."""
    from tillsammans.notifications.tasks import deliver_message

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = deliver_message.get_backend()
    backend.clear()
    return backend


@pytest.fixture
def failing_email(settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.RefusingEmailBackend"


@pytest.fixture
def failing_sms(settings):
    settings.SMS_BACKEND = "tests.notifications.backends.FailingSMSBackend"
