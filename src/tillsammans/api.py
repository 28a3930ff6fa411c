"""The HTTP API at /api/v1/: one NinjaAPI, one router per capability.

Every 4xx answers with the same body: ``{"detail": "...", "errors": [...]}``
where each error is ``{"field": "...", "message": "..."}`` (field may be empty).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from tillsammans.accounts.api import router as accounts_router
from tillsammans.accounts.api_auth import ApiTokenAuth
from tillsammans.core.api import router as core_router
from tillsammans.core.errors import DomainError
from tillsammans.grants.api import router as grants_router
from tillsammans.opendata.api import router as hsds_router
from tillsammans.volunteering.api import router as volunteering_router


class ErrorItem(Schema):
    field: str = ""
    message: str


class ErrorBody(Schema):
    detail: str
    errors: list[ErrorItem] = []


api = NinjaAPI(
    title="Tillsammans API",
    version="1.0.0",
    description=(
        "Open data and integrations for Tillsammans. Public endpoints need no "
        "authentication; others take `Authorization: Bearer <token>`."
    ),
    urls_namespace="api-1.0.0",
    docs_url=None,  # The interactive docs load scripts from a CDN; the JSON document is enough.
    auth=None,
)


def error_response(request, status: int, detail: str, errors=None):
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    errors = []
    for error in exc.errors:
        location = [
            str(part)
            for part in error.get("loc", ())
            if part not in ("body", "query", "path", "payload")
        ]
        errors.append({"field": ".".join(location), "message": error.get("msg", "")})
    return error_response(request, 422, _("The request has invalid data."), errors)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request, exc):
    return error_response(request, 401, _("A valid API token is required."))


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return error_response(request, 403, _("You are not allowed to do this."))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error_response(request, 404, _("Not found."))


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return error_response(request, exc.status_code, str(exc))


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return error_response(request, exc.status_code, str(exc))


api.add_router("/", core_router)
api.add_router("/accounts/", accounts_router)
api.add_router("/grants/", grants_router)
api.add_router("/hsds/", hsds_router)
api.add_router("/volunteering/", volunteering_router)

__all__ = ["ApiTokenAuth", "ErrorBody", "api"]
