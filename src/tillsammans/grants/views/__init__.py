"""The grants pages, one module per subject; each defines ``urlpatterns``."""
