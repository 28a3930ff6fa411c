"""The staff page of the outbox: what failed or waits to retry, and "retry now"."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView
from rules.contrib.views import PermissionRequiredMixin

from tillsammans.core.errors import DomainError
from tillsammans.notifications.models import OutboxMessage
from tillsammans.notifications.selectors import messages_needing_attention, outbox_counts
from tillsammans.notifications.services import notification_retry


class OutboxView(PermissionRequiredMixin, ListView):
    # Anonymous visitors are sent to sign in; signed-in people without the
    # permission get 403 (Django's mixin does both when raise_exception is off).
    permission_required = "notifications.view_outbox"
    template_name = "notifications/outbox.html"
    context_object_name = "outbox_messages"
    paginate_by = 50

    def get_queryset(self):
        return messages_needing_attention()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = outbox_counts()
        context["status_counts"] = [
            (value, label, counts[value]) for value, label in OutboxMessage.Status.choices
        ]
        return context


class OutboxRetryView(PermissionRequiredMixin, View):
    permission_required = "notifications.retry_message"
    http_method_names = ["post"]

    def post(self, request, message_uuid):
        message = get_object_or_404(OutboxMessage.objects.only("pk"), uuid=message_uuid)
        try:
            notification_retry(message_id=message.pk, actor=request.user, request=request)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The message is queued and will be sent again shortly."))
        return redirect("notifications:outbox")
