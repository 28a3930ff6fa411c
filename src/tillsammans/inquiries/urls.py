from tillsammans.inquiries.views import urlpatterns  # noqa: F401

app_name = "inquiries"
