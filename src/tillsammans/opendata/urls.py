from django.urls import path

from tillsammans.opendata import views

app_name = "opendata"

urlpatterns = [
    path("open-data/", views.index, name="index"),
    path("open-data/organisations.csv", views.organisations_csv, name="organisations_csv"),
    path("open-data/organisations.json", views.organisations_json, name="organisations_json"),
    path("open-data/activities.csv", views.activities_csv, name="activities_csv"),
    path("open-data/activities.json", views.activities_json, name="activities_json"),
    path("activities.ics", views.activities_ics, name="activities_ics"),
]
