"""applications pages of the grants app (being built)."""

urlpatterns: list = []
