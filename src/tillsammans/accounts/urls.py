from django.urls import path

from tillsammans.accounts import views

app_name = "accounts"

urlpatterns = [
    path("my-account/", views.profile, name="profile"),
    path("my-account/export/", views.export, name="export"),
    path("my-account/erase/", views.erase, name="erase"),
    path("staff/", views.staff, name="staff"),
]
