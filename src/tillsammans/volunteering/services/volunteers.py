"""Volunteers: every write, gathered from the modules by subject.

- ``volunteer_details``: what a volunteer tells about themselves, how it is
  checked, and the failures every volunteer service shares;
- ``volunteer_link``: the personal link (sending, sending again, opening);
- ``volunteer_signup``: signing up, joining a campaign, erasing sign-ups
  nobody confirmed;
- ``volunteer_profile``: changing, pausing, resuming, leaving, export, and
  coordinators reading contact details.

This module re-exports their public names, so ``from
tillsammans.volunteering.services.volunteers import volunteer_sign_up`` (and
``services.volunteers.<name>``) keeps working.
"""

from tillsammans.volunteering.services.campaigns import CampaignClosed
from tillsammans.volunteering.services.volunteer_details import (
    AVAILABILITY_CODES,
    MAX_DISTANCE_KM,
    MAX_REQUESTS_PER_WEEK,
    AddressTaken,
    AvailabilityInvalid,
    ChoiceNotAvailable,
    ContactMissing,
    HelpTypesMissing,
    InvalidEmail,
    InvalidPhone,
    LanguagesMissing,
    LocalityMissing,
    NameMissing,
    NumberOutOfRange,
    PostalCodeInvalid,
    PostalCodeLocalityMismatch,
    PostalCodeUnknown,
    VolunteerDetails,
    VolunteerError,
    VolunteerHasLeft,
    email_clean,
    locality_resolve,
    phone_clean,
    volunteer_details_clean,
)
from tillsammans.volunteering.services.volunteer_link import (
    LINK_RESEND_INTERVAL,
    LinkInvalid,
    link_token_hash,
    volunteer_link_open,
    volunteer_link_resend,
)
from tillsammans.volunteering.services.volunteer_profile import (
    NotConfirmed,
    NotPaused,
    PauseDateInvalid,
    volunteer_contact_details_read,
    volunteer_erase_for_user,
    volunteer_export,
    volunteer_leave,
    volunteer_pause,
    volunteer_resume,
    volunteer_update,
)
from tillsammans.volunteering.services.volunteer_signup import (
    UNCONFIRMED_RETENTION,
    AlreadyInCampaign,
    AlreadyVolunteer,
    AnswerMissing,
    AnswerTooLong,
    ConsentMissing,
    SignUpReceipt,
    campaign_answers_clean,
    volunteer_campaign_join,
    volunteer_sign_up,
    volunteers_unconfirmed_erase,
)

__all__ = [
    "AVAILABILITY_CODES",
    "LINK_RESEND_INTERVAL",
    "MAX_DISTANCE_KM",
    "MAX_REQUESTS_PER_WEEK",
    "UNCONFIRMED_RETENTION",
    "AddressTaken",
    "AlreadyInCampaign",
    "AlreadyVolunteer",
    "AnswerMissing",
    "AnswerTooLong",
    "AvailabilityInvalid",
    "CampaignClosed",
    "ChoiceNotAvailable",
    "ConsentMissing",
    "ContactMissing",
    "HelpTypesMissing",
    "InvalidEmail",
    "InvalidPhone",
    "LanguagesMissing",
    "LinkInvalid",
    "LocalityMissing",
    "NameMissing",
    "NotConfirmed",
    "NotPaused",
    "NumberOutOfRange",
    "PauseDateInvalid",
    "PostalCodeInvalid",
    "PostalCodeLocalityMismatch",
    "PostalCodeUnknown",
    "SignUpReceipt",
    "VolunteerDetails",
    "VolunteerError",
    "VolunteerHasLeft",
    "campaign_answers_clean",
    "email_clean",
    "link_token_hash",
    "locality_resolve",
    "phone_clean",
    "volunteer_campaign_join",
    "volunteer_contact_details_read",
    "volunteer_details_clean",
    "volunteer_erase_for_user",
    "volunteer_export",
    "volunteer_leave",
    "volunteer_link_open",
    "volunteer_link_resend",
    "volunteer_pause",
    "volunteer_resume",
    "volunteer_sign_up",
    "volunteer_update",
    "volunteers_unconfirmed_erase",
]
