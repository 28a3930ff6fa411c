from django.urls import path  # noqa: F401

from tillsammans.volunteering.views import campaigns as campaign_views
from tillsammans.volunteering.views import coordination as coordination_views
from tillsammans.volunteering.views import offers as offer_views
from tillsammans.volunteering.views import requests as request_views
from tillsammans.volunteering.views import safeguarding as safeguarding_views
from tillsammans.volunteering.views import statistics as statistics_views
from tillsammans.volunteering.views import volunteers as volunteer_views

app_name = "volunteering"

urlpatterns: list = [
    *request_views.urlpatterns,
    *coordination_views.urlpatterns,
    *offer_views.urlpatterns,
    *campaign_views.urlpatterns,
    *statistics_views.urlpatterns,
    *volunteer_views.urlpatterns,
    *safeguarding_views.urlpatterns,
]
