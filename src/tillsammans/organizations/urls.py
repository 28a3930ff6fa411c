from django.urls import path

from tillsammans.organizations import views

app_name = "organizations"

# Included at the site root. The public pages (organisations/<slug>/) belong to
# the directory; this app uses only fixed prefixes.
urlpatterns = [
    path("organisations/register/", views.register, name="register"),
    path("organisations/join/<uuid:uuid>/", views.join, name="join"),
    path("organisations/manage/", views.manage, name="manage"),
    path("organisations/manage/<uuid:uuid>/", views.manage_detail, name="manage_detail"),
    path("organisations/manage/<uuid:uuid>/edit/", views.edit, name="edit"),
    path("organisations/manage/<uuid:uuid>/confirm/", views.confirm, name="confirm"),
    path("organisations/manage/<uuid:uuid>/invite/", views.invite, name="invite"),
    path("organisations/manage/<uuid:uuid>/leave/", views.leave, name="leave"),
    path(
        "organisations/manage/<uuid:uuid>/representatives/<uuid:user_uuid>/role/",
        views.representative_role,
        name="representative_role",
    ),
    path(
        "organisations/manage/<uuid:uuid>/representatives/<uuid:user_uuid>/remove/",
        views.representative_remove,
        name="representative_remove",
    ),
    path(
        "organisations/manage/<uuid:uuid>/join-requests/<uuid:request_uuid>/",
        views.join_request_decide,
        name="join_request_decide",
    ),
    path("organisations/invitations/<uuid:uuid>/", views.invitation, name="invitation"),
    path("organisations/documents/<uuid:uuid>/", views.document_download, name="document"),
    path("staff/register/", views.queue, name="queue"),
    path("staff/register/organisations/", views.register_list, name="register_list"),
    path(
        "staff/register/organisations/export.csv",
        views.register_export,
        {"file_format": "csv"},
        name="export_csv",
    ),
    path(
        "staff/register/organisations/export.xlsx",
        views.register_export,
        {"file_format": "xlsx"},
        name="export_xlsx",
    ),
    path("staff/register/import/", views.import_upload, name="import"),
    path("staff/register/import/accept/", views.import_accept, name="import_accept"),
    path("staff/register/<uuid:uuid>/", views.review, name="review"),
]
