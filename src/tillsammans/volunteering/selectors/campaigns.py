"""Reads of campaigns: the counters, the public page, the start page banner."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from tillsammans.volunteering.models import (
    Campaign,
    CampaignSignup,
    HelpRequest,
    HelpType,
    VolunteerStatus,
)
from tillsammans.volunteering.services.campaigns import BANNER_CACHE_KEY

# The banner may lag an opened or closed campaign by this much at most on
# another web node (the node that opens or closes it forgets its copy at once).
BANNER_CACHE_SECONDS = 60


@dataclass(frozen=True)
class Banner:
    slug: str
    title: str


def _count(queryset: QuerySet, key: str) -> Coalesce:
    """A correlated COUNT(*) per campaign, as one column of the outer query."""
    counted = queryset.order_by().values(key).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_counters(queryset: QuerySet[Campaign]) -> QuerySet[Campaign]:
    """Annotate the live counters: volunteers signed up (who have not left),
    requests waiting, matched and done. Still one query."""
    requests = HelpRequest.objects.filter(campaign=OuterRef("pk"))
    return queryset.annotate(
        volunteers_count=_count(
            CampaignSignup.objects.filter(campaign=OuterRef("pk")).exclude(
                volunteer__status=VolunteerStatus.LEFT
            ),
            "campaign",
        ),
        open_count=_count(requests.filter(status=HelpRequest.Status.OPEN), "campaign"),
        matched_count=_count(requests.filter(status=HelpRequest.Status.MATCHED), "campaign"),
        done_count=_count(requests.filter(status=HelpRequest.Status.DONE), "campaign"),
    )


def campaigns_for_staff() -> QuerySet[Campaign]:
    """Every campaign, open ones first, with counters (one query)."""
    return with_counters(Campaign.objects.all()).order_by("status", "-opened_at")


def campaign_for_staff(slug: str) -> QuerySet[Campaign]:
    """One campaign with counters, help types and questions (filter by slug)."""
    return with_counters(
        Campaign.objects.select_related("opened_by").prefetch_related("help_types", "questions")
    ).filter(slug=slug)


def campaign_public(slug: str) -> QuerySet[Campaign]:
    return Campaign.objects.prefetch_related(
        Prefetch("help_types", queryset=HelpType.objects.filter(is_active=True))
    ).filter(slug=slug)


def open_campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.filter(status=Campaign.Status.OPEN).order_by("title")


def campaign_banners() -> list[Banner]:
    """Open campaigns that show a banner on the start page.

    Read from the cache (no query) for ``BANNER_CACHE_SECONDS``; opening and
    closing a campaign forget the cached list."""
    banners = cache.get(BANNER_CACHE_KEY)
    if banners is None:
        banners = [
            Banner(slug=slug, title=title)
            for slug, title in Campaign.objects.filter(
                status=Campaign.Status.OPEN, show_banner=True
            )
            .order_by("-opened_at")
            .values_list("slug", "title")
        ]
        cache.set(BANNER_CACHE_KEY, banners, BANNER_CACHE_SECONDS)
    return banners
