"""The public list of grant decisions, the 360Giving export and statistics (being built)."""

urlpatterns: list = []
