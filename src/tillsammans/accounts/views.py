from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillsammans.accounts import selectors, services
from tillsammans.accounts.forms import AccountForm, EraseAccountForm
from tillsammans.core import personal_data
from tillsammans.core.errors import DomainError
from tillsammans.core.permissions import permission_required


@login_required
def profile(request):
    form = AccountForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = services.account_update(
            user=request.user,
            full_name=form.cleaned_data["full_name"],
            preferred_language=form.cleaned_data["preferred_language"],
        )
        translation.activate(user.preferred_language)
        messages.success(request, _("Your details were saved."))
        response = redirect("accounts:profile")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.preferred_language,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
        return response
    context = {"form": form, **selectors.account_overview(request.user)}
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
def export(request):
    data = services.account_export(user=request.user, request=request)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    filename = f"tillsammans-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def erase(request):
    form = EraseAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_erase(
                user=request.user, password=form.cleaned_data["password"], request=request
            )
        except services.WrongPassword as error:
            form.add_error("password", str(error))
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            logout(request)
            messages.success(request, _("Your account and your personal data have been erased."))
            return redirect("core:home")
    context = {"form": form, "providers": personal_data.providers()}
    return render(request, "accounts/erase.html", context)


@permission_required("accounts.view_staff_tools")
def staff(request):
    return render(request, "accounts/staff.html", selectors.account_overview(request.user))
