from django.urls import path

from tillsammans.notifications import views

app_name = "notifications"

# Included at "staff/outbox/".
urlpatterns = [
    path("", views.OutboxView.as_view(), name="outbox"),
    path("<uuid:message_uuid>/retry/", views.OutboxRetryView.as_view(), name="retry"),
]
