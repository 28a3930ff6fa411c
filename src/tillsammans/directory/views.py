"""The public directory: search, the printable catalogue, organisation and activity pages."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property

from tillsammans.directory import selectors
from tillsammans.directory.forms import SHOW_ORGANIZATIONS, DirectoryFilterForm

PAGE_SIZE = 20
# Counting every match of a wide search costs more than showing it: beyond
# this many the page says "more than …" and asks for a narrower search.
COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Counts at most ``COUNT_CAP + 1`` rows (a LIMIT inside the COUNT), so
    a search that matches 45,000 activities costs no more than one that
    matches 1,000; pages beyond the cap are not offered."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.cap = COUNT_CAP

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.cap + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap

    @cached_property
    def num_pages(self) -> int:
        return super().num_pages if not self.is_capped else self.cap // self.per_page


def _page(queryset, number: str | None):
    """The requested page; a number that is not one gives page 1, one past
    the end gives the last page (and says so)."""
    paginator = CappedPaginator(queryset, PAGE_SIZE)
    page = paginator.get_page(number)
    clamped = number not in (None, "") and str(page.number) != number.strip()
    return page, clamped


def search(request):
    form = DirectoryFilterForm(request.GET)
    filters = form.filters()
    tab = form.tab()
    if tab == SHOW_ORGANIZATIONS:
        results = selectors.search_organizations(filters)
    else:
        results = selectors.search_activities(filters)
    page, clamped = _page(results, request.GET.get("page"))
    template = "directory/search.html"
    if request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request"):
        template += "#search-region"
    response = render(
        request, template, {"form": form, "tab": tab, "page": page, "page_clamped": clamped}
    )
    # The same address answers a whole page or, for htmx, the search region.
    patch_vary_headers(response, ["HX-Request"])
    return response


def catalogue(request):
    form = DirectoryFilterForm(request.GET)
    activities, truncated = selectors.catalogue_activities(form.filters())
    return render(
        request,
        "directory/catalogue.html",
        {
            "form": form,
            "activities": activities,
            "truncated": truncated,
            "limit": selectors.PRINT_LIMIT,
            "today": timezone.localdate(),
        },
    )


def organization_detail(request, slug):
    organization = get_object_or_404(selectors.organization_page(slug))
    if not request.user.has_perm("directory.view_organization", organization):
        raise Http404
    return render(request, "directory/organization.html", {"organization": organization})


def activity_detail(request, slug):
    activity = get_object_or_404(selectors.activity_page(slug))
    return render(
        request,
        "directory/activity.html",
        {"activity": activity, "upcoming_dates": selectors.upcoming_dates(activity)},
    )
