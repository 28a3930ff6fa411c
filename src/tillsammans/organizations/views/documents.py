"""Downloading an organisation's documents."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control

from tillsammans.organizations import services
from tillsammans.organizations.models import OrganizationDocument


@login_required
def document_download(request, uuid):
    """Statutes, annual report or minutes, as an attachment. Whoever may not
    read them gets 404, as if the document did not exist."""
    document = get_object_or_404(
        OrganizationDocument.objects.select_related("organization"), uuid=uuid
    )
    if not request.user.has_perm("organizations.view_documents", document.organization):
        raise Http404
    try:
        opened = services.document_open(document=document, actor=request.user, request=request)
    except services.DocumentMissing as error:
        raise Http404(str(error)) from None
    response = FileResponse(
        opened.file,
        as_attachment=True,
        filename=opened.filename,
        content_type=opened.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response
