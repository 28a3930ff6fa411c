from django.urls import path

from tillsammans.directory import views

app_name = "directory"

# Included at the site root, last: the fixed paths of the register and of
# activity management (organisations/register/, activities/manage/, …) come
# first and win over these slugs.
urlpatterns = [
    path("directory/", views.search, name="search"),
    path("directory/print/", views.catalogue, name="print"),
    path("organisations/<slug:slug>/", views.organization_detail, name="organization"),
    path("activities/<slug:slug>/", views.activity_detail, name="activity"),
]
