from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    name = "tillsammans.volunteering"
    verbose_name = _("Volunteering")

    def ready(self) -> None:
        from tillsammans.core import demo_data, personal_data, start_page
        from tillsammans.volunteering import personal_data as volunteer_personal_data
        from tillsammans.volunteering import seed
        from tillsammans.volunteering.selectors import terms
        from tillsammans.volunteering.services import requests as help_requests

        # --- The terms a sign-up names, cached until one changes ---------------------------
        for model in terms.TERM_MODELS:
            post_save.connect(terms.terms_forget, sender=model, dispatch_uid=f"terms-{model}")
            post_delete.connect(terms.terms_forget, sender=model, dispatch_uid=f"terms-d-{model}")

        # --- Volunteers and police-record checks -------------------------------------------
        personal_data.register(volunteer_personal_data.VOLUNTEER)
        start_page.register(
            start_page.StartPageEntry(
                key="volunteering-sign-up",
                title=_("Become a volunteer"),
                description=_(
                    "Help someone near you with shopping, company or a lift, when it suits "
                    "you. Sign up in two minutes."
                ),
                url_name="volunteering:volunteer_signup",
                order=140,
                visible=lambda request: not _is_volunteer_here(request),
            )
        )
        start_page.register(
            start_page.StartPageEntry(
                key="volunteering-my-page",
                title=_("My volunteer page"),
                description=_("Change your details, pause or leave."),
                url_name="volunteering:volunteer_profile",
                order=140,
                visible=_is_volunteer_here,
            )
        )
        start_page.register(
            start_page.StartPageEntry(
                key="volunteering-volunteers",
                title=_("Volunteers"),
                description=_("Find volunteers, read their details, record police-record checks."),
                url_name="volunteering:volunteer_list",
                order=29,
                visible=lambda request: request.user.has_perm("volunteering.coordinate"),
            )
        )
        demo_data.register(demo_data.DemoStep("volunteering-volunteers", seed.build_volunteers))

        # --- Help requests, campaigns, statistics -----------------------------------------
        personal_data.register(
            personal_data.PersonalDataProvider(
                key="volunteering-help-requests",
                label=_("Help requests you made"),
                export=help_requests.help_requests_export_for_user,
                erase=help_requests.help_requests_erase_for_user,
            )
        )
        start_page.register(
            start_page.StartPageEntry(
                key="volunteering-ask-for-help",
                title=_("Ask for help"),
                description=_(
                    "Shopping, an errand, company or a lift: volunteers help you, free of "
                    "charge. No account needed."
                ),
                url_name="volunteering:help_request_new",
                order=150,
            )
        )
        start_page.register(
            start_page.StartPageEntry(
                key="volunteering-my-help-requests",
                title=_("My help requests"),
                description=_("Follow or cancel the help you have asked for."),
                url_name="volunteering:my_help_requests",
                order=155,
                visible=_may_have_own_help_requests,
            )
        )
        start_page.register(
            start_page.StartPageEntry(
                key="volunteering-help-requests",
                title=_("Help requests"),
                description=_("Requests from residents; take a new one on the phone."),
                url_name="volunteering:staff_help_requests",
                order=30,
                visible=lambda request: request.user.has_perm("volunteering.coordinate"),
            )
        )
        start_page.register(
            start_page.StartPageEntry(
                key="volunteering-campaigns",
                title=_("Campaigns"),
                description=_("Open a campaign for a crisis or a season, follow it, close it."),
                url_name="volunteering:staff_campaigns",
                order=31,
                visible=lambda request: request.user.has_perm("volunteering.manage_campaigns"),
            )
        )
        start_page.register(
            start_page.StartPageEntry(
                key="volunteering-statistics",
                title=_("Volunteering statistics"),
                description=_("Volunteers, requests, time to a match and hours given."),
                url_name="volunteering:statistics",
                order=32,
                visible=lambda request: request.user.has_perm("volunteering.view_statistics"),
            )
        )
        # After the volunteers' step: the campaigns sign some of them up.
        demo_data.register(
            demo_data.DemoStep("volunteering-requests", seed.build_requests_and_campaigns)
        )

        # --- Coordination: matching, offers, assignments, concerns ------------------------
        start_page.register(
            start_page.StartPageEntry(
                key="volunteering-coordination",
                title=_("Coordination"),
                description=_(
                    "Propose volunteers for open requests, confirm and send, follow the "
                    "answers, read volunteers' concerns."
                ),
                url_name="volunteering:coordination",
                order=28,
                visible=lambda request: request.user.has_perm("volunteering.coordinate"),
            )
        )
        start_page.register(
            start_page.StartPageEntry(
                key="volunteering-my-assignments",
                title=_("My assignments"),
                description=_("Answer requests for help, see who you help, mark it as done."),
                url_name="volunteering:assignments",
                order=141,
                visible=_is_volunteer_of_request,
            )
        )
        # After the volunteers' and the requests' steps: proposals and an offer to Omar.
        from tillsammans.volunteering.seed_coordination import build_coordination

        demo_data.register(demo_data.DemoStep("volunteering-coordination", build_coordination))


def _may_have_own_help_requests(request) -> bool:
    """Signed-in residents (not staff, who take requests for others). No query
    of its own: the start page keeps its fixed budget."""
    from tillsammans.accounts.rules import is_staff_member

    return request.user.is_authenticated and not is_staff_member(request.user)


def _is_volunteer_here(request) -> bool:
    """The visitor is a volunteer: signed in with a profile, or their personal
    link was opened in this session (one query, shared with every other
    ``current_volunteer`` call of the request)."""
    from tillsammans.volunteering.selectors.volunteers import current_volunteer

    return current_volunteer(request) is not None


def _is_volunteer_of_request(request) -> bool:
    from tillsammans.volunteering.selectors.volunteers import current_volunteer

    return current_volunteer(request) is not None
