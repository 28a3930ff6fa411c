"""Every write to the organisation register, by subject.

- ``registration``: register, update, organisationsnummer and files;
- ``documents``: reading the uploaded documents (audited);
- ``representatives``: invitations, requests to join, roles, removal, leaving;
- ``review``: the register officers verify or return;
- ``yearly``: the yearly confirmation round.

Each service runs in one transaction, locks what can race, audits decisions
that matter and queues e-mail through the outbox (delivered after commit).
Import from this package: ``from tillsammans.organizations.services import X``.
"""

from tillsammans.organizations.services._common import InvalidDetails, WrongStatus
from tillsammans.organizations.services.documents import (
    DocumentMissing,
    document_download_name,
    document_open,
)
from tillsammans.organizations.services.registration import (
    DETAIL_FIELDS,
    KEY_FIELDS,
    AlreadyRegistered,
    AlreadyYourOrganization,
    organisation_number_check_free,
    organisation_number_clean,
    organization_register,
    organization_update,
    unique_slug,
)
from tillsammans.organizations.services.representatives import (
    INVITATION_VALIDITY,
    AlreadyRepresentative,
    InvitationUnusable,
    JoinRequestDecided,
    JoinRequestPending,
    LastAdmin,
    LastAdminCannotLeave,
    NotRepresentative,
    invitation_accept,
    invitation_create,
    join_request_create,
    join_request_decide,
    representative_change_role,
    representative_leave,
    representative_remove,
)
from tillsammans.organizations.services.review import organization_return, organization_verify
from tillsammans.organizations.services.yearly import (
    INACTIVE_AFTER_MONTHS,
    NEEDS_UPDATE_AFTER_MONTHS,
    REMIND_AFTER_MONTHS,
    months_before,
    organization_confirm_details,
    register_yearly_update,
)

__all__ = [
    "DETAIL_FIELDS",
    "INACTIVE_AFTER_MONTHS",
    "INVITATION_VALIDITY",
    "KEY_FIELDS",
    "NEEDS_UPDATE_AFTER_MONTHS",
    "REMIND_AFTER_MONTHS",
    "AlreadyRegistered",
    "AlreadyRepresentative",
    "AlreadyYourOrganization",
    "DocumentMissing",
    "InvalidDetails",
    "InvitationUnusable",
    "JoinRequestDecided",
    "JoinRequestPending",
    "LastAdmin",
    "LastAdminCannotLeave",
    "NotRepresentative",
    "WrongStatus",
    "document_download_name",
    "document_open",
    "invitation_accept",
    "invitation_create",
    "join_request_create",
    "join_request_decide",
    "months_before",
    "organisation_number_check_free",
    "organisation_number_clean",
    "organization_confirm_details",
    "organization_register",
    "organization_return",
    "organization_update",
    "organization_verify",
    "register_yearly_update",
    "representative_change_role",
    "representative_leave",
    "representative_remove",
    "unique_slug",
]
