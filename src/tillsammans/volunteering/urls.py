from django.urls import path  # noqa: F401

from tillsammans.volunteering.views import coordination as coordination_views
from tillsammans.volunteering.views import offers as offer_views

app_name = "volunteering"

urlpatterns: list = [
    *coordination_views.urlpatterns,
    *offer_views.urlpatterns,
]
