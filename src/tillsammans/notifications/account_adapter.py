"""allauth sends its mail (verification, password reset) through our outbox,
in the recipient's language, so nothing is lost when SMTP is down."""

import uuid
from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation

from tillsammans.notifications.services import notification_queue


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        # Without django.contrib.sites allauth's mails say "Hello from !": name
        # the service and its address ourselves.
        context["current_site"] = SimpleNamespace(
            name=f"Tillsammans – {settings.MUNICIPALITY_NAME}",
            domain=urlsplit(settings.SITE_URL).netloc,
        )
        user = get_user_model().objects.filter(email__iexact=email).first()
        language = user.preferred_language if user else translation.get_language()
        with translation.override(language):
            message = self.render_mail(template_prefix, email, context)
        html_body = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html_body = content
        # The same confirmation or reset link is one message, however often
        # allauth asks; any other mail (e.g. "account already exists") is new.
        key = (
            context.get("key")
            or context.get("code")
            or context.get("password_reset_url")
            or uuid.uuid4().hex
        )
        notification_queue(
            channel="email",
            address=email,
            subject=message.subject,
            body=message.body,
            html_body=html_body,
            idempotency_key=f"allauth:{template_prefix}:{email}:{key}"[:200],
            kind="transactional",
            user=user,
            language=language,
        )
