"""Checks on uploaded files: the real file signature, not just the name.

A file whose name says ``.pdf`` but whose bytes are something else is refused,
and so is anything too large. Each failure has its own message.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

LOGO_MAX_BYTES = 1024 * 1024
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024

LOGO_EXTENSIONS = {"png": "png", "jpg": "jpeg", "jpeg": "jpeg", "svg": "svg"}
DOCUMENT_EXTENSIONS = {"pdf": "pdf", "odt": "odt", "docx": "docx"}
SVG_EVENT_HANDLER = re.compile(rb"\son[a-z]+\s*=")
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def _read(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _extension(upload) -> str:
    return PurePath(upload.name or "").suffix.lower().lstrip(".")


def _check_size(upload, limit: int) -> None:
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s). The largest allowed is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )


def _zip_names(data: bytes) -> set[str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return None


def sniff(data: bytes) -> str | None:
    """The type the bytes really are: png, jpeg, svg, pdf, odt, docx or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        # ODF puts an uncompressed "mimetype" file first in the archive.
        if data[30:38] == b"mimetype" and data[38 : 38 + len(ODT_MIMETYPE)] == ODT_MIMETYPE:
            return "odt"
        names = _zip_names(data)
        if names and "word/document.xml" in names and "[Content_Types].xml" in names:
            return "docx"
        return None
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if (head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg"))) and b"<svg" in head:
        return "svg"
    return None


def validate_logo(upload) -> None:
    extension = _extension(upload)
    if extension not in LOGO_EXTENSIONS:
        raise ValidationError(_("A logo must be a PNG, JPEG or SVG image."), code="logo_extension")
    _check_size(upload, LOGO_MAX_BYTES)
    data = _read(upload)
    kind = sniff(data)
    if kind != LOGO_EXTENSIONS[extension]:
        raise ValidationError(
            _("The file is called “%(name)s” but its content is not a %(kind)s image."),
            code="logo_signature",
            params={"name": upload.name, "kind": extension.upper()},
        )
    if kind == "svg":
        lowered = data.lower()
        # An SVG can carry scripts; a logo never needs one.
        if (
            b"<script" in lowered
            or b"javascript:" in lowered
            or b"<foreignobject" in lowered
            or SVG_EVENT_HANDLER.search(lowered)
        ):
            raise ValidationError(
                _("The SVG image contains a script, which a logo may not have."),
                code="logo_script",
            )


def validate_document(upload) -> None:
    extension = _extension(upload)
    if extension not in DOCUMENT_EXTENSIONS:
        raise ValidationError(
            _("A document must be a PDF, an OpenDocument text (ODT) or a Word file (DOCX)."),
            code="document_extension",
        )
    _check_size(upload, DOCUMENT_MAX_BYTES)
    if sniff(_read(upload)) != DOCUMENT_EXTENSIONS[extension]:
        raise ValidationError(
            _("The file is called “%(name)s” but its content is not a %(kind)s document."),
            code="document_signature",
            params={"name": upload.name, "kind": extension.upper()},
        )
