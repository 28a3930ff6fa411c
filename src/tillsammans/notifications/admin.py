from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tillsammans.core.errors import DomainError
from tillsammans.notifications.models import OutboxMessage
from tillsammans.notifications.services import notification_cancel, notification_retry


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: messages are written by the services; the actions call them."""

    list_display = [
        "created_at",
        "channel",
        "kind",
        "masked_address",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "channel", "kind", "created_at"]
    search_fields = ["=uuid", "=idempotency_key", "=address"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]
    actions = ["retry_now", "cancel"]

    @admin.display(description=_("recipient"))
    def masked_address(self, obj: OutboxMessage) -> str:
        return obj.masked_address

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _apply(self, request, queryset, service) -> int:
        """Call the service for each selected message; report refusals. Returns
        how many it accepted."""
        done, refused = 0, set()
        for message_id in queryset.values_list("pk", flat=True):
            try:
                service(message_id=message_id, actor=request.user, request=request)
            except DomainError as error:
                refused.add(str(error))
            else:
                done += 1
        for reason in sorted(refused):
            self.message_user(request, reason, messages.WARNING)
        return done

    @admin.action(description=_("Retry now"), permissions=["change"])
    def retry_now(self, request, queryset):
        if done := self._apply(request, queryset, notification_retry):
            self.message_user(
                request,
                ngettext(
                    "%(count)d message queued to be sent again.",
                    "%(count)d messages queued to be sent again.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )

    @admin.action(description=_("Cancel (do not send)"), permissions=["change"])
    def cancel(self, request, queryset):
        if done := self._apply(request, queryset, notification_cancel):
            self.message_user(
                request,
                ngettext("%(count)d message cancelled.", "%(count)d messages cancelled.", done)
                % {"count": done},
                messages.SUCCESS,
            )
