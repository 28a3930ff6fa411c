from django.conf import settings


def site(request):
    user = getattr(request, "user", None)
    return {
        "municipality_name": settings.MUNICIPALITY_NAME,
        "show_staff_tools": bool(
            user and user.is_authenticated and user.has_perm("accounts.view_staff_tools")
        ),
    }
