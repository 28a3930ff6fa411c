"""Pages of volunteer coordination, one module per subject; each has ``urlpatterns``."""
