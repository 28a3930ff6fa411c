app_name = "notifications"
urlpatterns = []  # placeholder until the outbox views land
