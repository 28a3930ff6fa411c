import logging

from tillsammans.notifications import sms


def test_the_backend_is_read_from_settings_at_each_call(settings):
    settings.SMS_BACKEND = "tillsammans.notifications.sms.LoggingSMSBackend"
    assert isinstance(sms.get_sms_backend(), sms.LoggingSMSBackend)
    settings.SMS_BACKEND = "tillsammans.notifications.sms.LocmemSMSBackend"
    assert isinstance(sms.get_sms_backend(), sms.LocmemSMSBackend)


def test_the_logging_backend_masks_the_number_and_keeps_the_text_out_of_info_logs(caplog):
    with caplog.at_level(logging.INFO, logger="tillsammans.sms"):
        sms.LoggingSMSBackend().send("+46701234512", "Din kod är 123456")
    assert caplog.messages == ["SMS to +4670…12 (17 characters) not sent: logging backend."]


def test_the_locmem_backend_keeps_what_was_sent():
    sms.LocmemSMSBackend().send("+46701234512", "Hej")
    assert sms.outbox == [sms.SMSMessage(to="+46701234512", body="Hej")]
