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
    """Counts at most ``COUNT_CAP + 1`` matches, so a search that matches
    45,000 activities costs no more than one that matches 1,000 (pages beyond
    the cap are not offered), and loads only the page's rows, by ``cards``.

    Two ways to get there, whichever the database does faster:

    - ``single_pass`` (searches with words): the full-text index finds every
      match anyway, so one query reads the first ``cap + 1`` ids in order;
      their number is the count and the page is a slice of them.
    - otherwise (filters only): a count without ORDER BY, which stops at
      ``cap + 1`` matches in whatever order the plan finds them, then the
      page's ids in order, which can walk the title index and stop early.
    """

    def __init__(self, object_list, per_page, *, cards, single_pass):
        super().__init__(object_list, per_page)
        self.cap = COUNT_CAP
        self.cards = cards
        self.single_pass = single_pass

    @cached_property
    def leading_ids(self) -> list[int]:
        return list(self.object_list.values_list("pk", flat=True)[: self.cap + 1])

    @cached_property
    def count(self) -> int:
        if self.single_pass:
            return len(self.leading_ids)
        return self.object_list.order_by()[: self.cap + 1].count()

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if self.single_pass:
            ids = self.leading_ids[bottom:top]
        else:
            ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        return self._get_page(self.cards(ids), number, self)

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap

    @cached_property
    def num_pages(self) -> int:
        return super().num_pages if not self.is_capped else self.cap // self.per_page


def _page(queryset, number: str | None, *, cards, single_pass: bool):
    """The requested page; a number that is not one gives page 1, one past
    the end gives the last page (and says so)."""
    paginator = CappedPaginator(queryset, PAGE_SIZE, cards=cards, single_pass=single_pass)
    page = paginator.get_page(number)
    clamped = number not in (None, "") and str(page.number) != number.strip()
    return page, clamped


def search(request):
    form = DirectoryFilterForm(request.GET)
    filters = form.filters()
    tab = form.tab()
    if tab == SHOW_ORGANIZATIONS:
        results, cards = selectors.search_organizations(filters), selectors.organization_cards
    else:
        results, cards = selectors.search_activities(filters), selectors.activity_cards
    page, clamped = _page(
        results, request.GET.get("page"), cards=cards, single_pass=bool(filters.words)
    )
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
