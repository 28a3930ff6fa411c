"""What the register's pages share: finding the organisation a page is about
(403 or 404 when the person may not), and showing a domain error on a form."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from tillsammans.core.errors import DomainError
from tillsammans.organizations.models import Organization


def organization_or_deny(request, queryset, perm: str, uuid) -> Organization:
    """The organisation if the user has ``perm`` on it; 403 if they may see it
    but not do this, 404 if they may not even see it."""
    organization = get_object_or_404(queryset, uuid=uuid)
    if request.user.has_perm(perm, organization):
        return organization
    if request.user.has_perm("organizations.view_organization", organization):
        raise PermissionDenied
    raise Http404


def apply_domain_error(form, error: DomainError) -> None:
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, str(error))
