import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import translation

from tests.roles import RoleClients
from tillsammans.volunteering.selectors.terms import terms_forget

pytest_plugins = ["tests.browser_support"]


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SMS_BACKEND = "tillsammans.notifications.sms.LocmemSMSBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    cache.clear()
    terms_forget()  # the sign-up's terms, kept in memory between requests
    # A test that activated another language (a request, a command) must not
    # leave it to the next one.
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def roles(db):
    """Logged-in clients for every role: ``roles.client("staff_coordinator")``."""
    return RoleClients()


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests are skipped on SQLite (CI runs them on PostgreSQL)."""
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL=postgres://…)")
    if connection.vendor != "postgresql":
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)
