"""Open Referral HSDS 3.1 read API at /api/v1/hsds/ (public, no authentication).

Lists come in HSDS's page wrapper; ``page`` starts at 1 and ``per_page`` is
1–100. Identifiers are UUIDs.
"""

from uuid import UUID

from django.http import Http404
from ninja import Field, Query, Router, Schema

from tillsammans.opendata import hsds
from tillsammans.opendata.selectors import (
    organizing_departments,
    place_count,
    places,
    public_activity,
    public_activity_count,
    public_activity_page,
    public_organizations,
)

router = Router(tags=["hsds"])


class ApiMetadata(Schema):
    version: str
    profile: str
    openapi_url: str


class PageQuery(Schema):
    page: int = Field(1, ge=1, description="Page number, from 1.")
    per_page: int = Field(50, ge=1, le=100, description="Items per page, 1–100.")


class HsdsPage(Schema):
    total_items: int
    total_pages: int
    page_number: int
    size: int
    first_page: bool
    last_page: bool
    empty: bool
    contents: list[dict]


@router.get("/", response=ApiMetadata, summary="HSDS API metadata")
def metadata(request):
    return {
        "version": hsds.HSDS_VERSION,
        "profile": hsds.HSDS_PROFILE,
        "openapi_url": request.build_absolute_uri("/api/v1/openapi.json"),
    }


@router.get("/organizations", response=HsdsPage, summary="Organisations (HSDS organization)")
def organizations(request, query: Query[PageQuery]):
    organisations = public_organizations()
    departments = organizing_departments()
    org_total = organisations.count()
    page = hsds.Page(query.page, query.per_page, org_total + departments.count())
    contents = [
        hsds.organization(org) for org in organisations[page.offset : page.offset + page.size]
    ]
    remaining = page.size - len(contents)
    if remaining > 0 and page.offset + len(contents) < page.total:
        start = max(0, page.offset - org_total)
        contents += [
            hsds.department_organization(department)
            for department in departments[start : start + remaining]
        ]
    return page.wrap(contents)


@router.get("/organizations/{organization_id}", response=dict, summary="One organisation")
def organization(request, organization_id: UUID):
    org = public_organizations().filter(uuid=organization_id).first()
    if org is not None:
        return hsds.organization(org)
    department = organizing_departments().filter(uuid=organization_id).first()
    if department is None:
        raise Http404
    return hsds.department_organization(department)


@router.get("/services", response=HsdsPage, summary="Activities (HSDS service)")
def services(request, query: Query[PageQuery]):
    page = hsds.Page(query.page, query.per_page, public_activity_count())
    return page.wrap(
        [hsds.service(activity) for activity in public_activity_page(page.offset, page.size)]
    )


@router.get("/services/{service_id}", response=dict, summary="One activity")
def service(request, service_id: UUID):
    activity = public_activity(service_id)
    if activity is None:
        raise Http404
    return hsds.service(activity)


@router.get("/locations", response=HsdsPage, summary="Places where activities happen")
def locations(request, query: Query[PageQuery]):
    page = hsds.Page(query.page, query.per_page, place_count())
    return page.wrap([hsds.location(place) for place in places(page.offset, page.size)])


@router.get("/locations/{location_id}", response=dict, summary="One place")
def location(request, location_id: UUID):
    for place in places():
        data = hsds.location(place)
        if data["id"] == str(location_id):
            return data
    raise Http404


@router.get("/service_at_locations", response=HsdsPage, summary="Activities at their places")
def service_at_locations(request, query: Query[PageQuery]):
    page = hsds.Page(query.page, query.per_page, public_activity_count())
    return page.wrap(
        [
            hsds.service_at_location(activity)
            for activity in public_activity_page(page.offset, page.size)
        ]
    )


@router.get(
    "/service_at_locations/{service_at_location_id}",
    response=dict,
    summary="One activity at its place",
)
def service_at_location(request, service_at_location_id: UUID):
    activity = public_activity(hsds.activity_uuid_of_service_at_location(service_at_location_id))
    if activity is None:
        raise Http404
    return hsds.service_at_location(activity)
