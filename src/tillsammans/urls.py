from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

from tillsammans.api import api

# The admin signs in through allauth, so site admins pass the same
# two-factor step as everyone else.
admin.site.login = login_required(admin.site.login)
admin.site.site_header = "Tillsammans"
admin.site.site_title = "Tillsammans"

urlpatterns = [
    path("", include("tillsammans.core.urls")),
    path("", include("tillsammans.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("staff/outbox/", include("tillsammans.notifications.urls")),
    # Register and activity management first: their fixed paths
    # (organisations/register/, …) win over the directory's slugs.
    path("", include("tillsammans.organizations.urls")),
    path("", include("tillsammans.activities.urls")),
    path("", include("tillsammans.volunteering.urls")),
    path("", include("tillsammans.grants.urls")),
    path("", include("tillsammans.inquiries.urls")),
    path("", include("tillsammans.ideas.urls")),
    path("", include("tillsammans.opendata.urls")),
    path("", include("tillsammans.directory.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("api/open311/v2/", include("tillsammans.inquiries.open311")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
