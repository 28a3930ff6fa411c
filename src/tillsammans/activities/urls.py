from django.urls import path

from tillsammans.activities import views

app_name = "activities"

# Included at the site root. The public activity pages (activities/<slug>/)
# belong to the directory; this app uses only fixed prefixes.
urlpatterns = [
    path("activities/manage/", views.manage, name="manage"),
    path("activities/manage/new/", views.create, name="create"),
    path("activities/manage/<uuid:uuid>/edit/", views.edit, name="edit"),
    path("activities/manage/<uuid:uuid>/deactivate/", views.deactivate, name="deactivate"),
    path("activities/manage/<uuid:uuid>/reactivate/", views.reactivate, name="reactivate"),
    path("activities/manage/<uuid:uuid>/cancellations/", views.cancellations, name="cancellations"),
    path(
        "activities/manage/<uuid:uuid>/cancellations/remove/",
        views.uncancel,
        name="uncancel",
    ),
    path("staff/activities/", views.staff_list, name="staff_list"),
    path("staff/activities/new/", views.staff_create, name="staff_create"),
]
