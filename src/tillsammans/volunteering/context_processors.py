"""The start page's campaign banner, for ``volunteering/campaign_banner.html``."""

from django.utils.functional import SimpleLazyObject


def campaign_banners(request):
    """``campaign_banners``: open campaigns that show a banner. Lazy, so pages
    that do not show it pay nothing; cached, so the start page pays no query."""
    from tillsammans.volunteering.selectors.campaigns import campaign_banners as banners

    return {"campaign_banners": SimpleLazyObject(banners)}
