"""Reading an organisation's documents: opened from the private storage,
each read written to the audit log."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.core.files import File
from django.utils.translation import gettext_lazy as _

from tillsammans.audit.models import AuditEntry
from tillsammans.audit.services import audit_record
from tillsammans.core.errors import DomainError
from tillsammans.organizations.uploads import DOCUMENT_EXTENSIONS

if TYPE_CHECKING:
    from django.http import HttpRequest

    from tillsammans.accounts.models import User
    from tillsammans.organizations.models import OrganizationDocument

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# Letters (å, ä, ö and the rest), digits, space, dot, dash and underscore.
UNSAFE_IN_NAME = re.compile(r"[^\w .-]+")


@dataclass(frozen=True)
class OpenedDocument:
    file: File
    filename: str
    content_type: str


class DocumentMissing(DomainError):
    message = _("The file of this document is missing. Ask the organisation to upload it again.")
    code = "document_missing"
    status_code = 404


def _extension(document: OrganizationDocument) -> str:
    """The stored file's extension, which the upload check tied to its content."""
    extension = PurePath(document.file.name).suffix.lower().lstrip(".")
    return extension if extension in DOCUMENT_EXTENSIONS else "pdf"


def document_download_name(document: OrganizationDocument) -> str:
    """The name the person's browser saves the file as: the uploaded name
    without folders, control characters or anything a header or a file
    system could misread, and always with the extension of what it is."""
    extension = _extension(document)
    stem = PurePath((document.original_name or "").replace("\\", "/")).stem
    stem = unicodedata.normalize("NFC", stem)
    stem = UNSAFE_IN_NAME.sub("_", stem).strip(" ._")[:100]
    return f"{stem or document.kind}.{extension}"


def document_open(
    *, document: OrganizationDocument, actor: User, request: HttpRequest | None = None
) -> OpenedDocument:
    """Open the document for reading, with a safe name and its content type,
    and log who read it (``read``). The caller has checked
    ``organizations.view_documents``. ``DocumentMissing`` if the file is gone
    from the storage (nothing is logged then)."""
    try:
        file = document.file.storage.open(document.file.name, "rb")
    except FileNotFoundError:
        raise DocumentMissing() from None
    audit_record(
        actor=actor,
        action=AuditEntry.Action.READ,
        target=document,
        request=request,
        details={
            "event": "organization_document_download",
            "organization": str(document.organization.uuid),
            "kind": document.kind,
        },
    )
    return OpenedDocument(
        file=file,
        filename=document_download_name(document),
        content_type=CONTENT_TYPES[_extension(document)],
    )
