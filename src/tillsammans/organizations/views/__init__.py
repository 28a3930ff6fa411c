"""Pages of the register, by subject; ``urls.py`` names them as ``views.X``."""

from tillsammans.organizations.views.documents import document_download
from tillsammans.organizations.views.manage import (
    confirm,
    edit,
    invitation,
    invite,
    join_request_decide,
    leave,
    manage,
    manage_detail,
    representative_remove,
    representative_role,
)
from tillsammans.organizations.views.registration import join, register
from tillsammans.organizations.views.staff import (
    import_accept,
    import_upload,
    queue,
    register_export,
    register_list,
    review,
)

__all__ = [
    "confirm",
    "document_download",
    "edit",
    "import_accept",
    "import_upload",
    "invitation",
    "invite",
    "join",
    "join_request_decide",
    "leave",
    "manage",
    "manage_detail",
    "queue",
    "register",
    "register_export",
    "register_list",
    "representative_remove",
    "representative_role",
    "review",
]
