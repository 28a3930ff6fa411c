from django.conf import settings
from django.shortcuts import render

from tillsammans.core import start_page


def home(request):
    return render(request, "core/home.html", {"entries": start_page.entries_for(request)})


def accessibility(request):
    return render(request, "core/accessibility.html", {"contact_email": settings.CONTACT_EMAIL})


def privacy(request):
    return render(
        request, "core/privacy.html", {"contact_email": settings.DATA_PROTECTION_OFFICER_EMAIL}
    )
