"""How a view declares who may call it."""

from django.contrib.auth.decorators import login_required
from rules.contrib.views import permission_required as rules_permission_required


def permission_required(perm: str, fn=None):
    """Anonymous visitors are sent to sign in; signed-in people without the
    permission get 403. ``fn`` picks the object for object-level rules."""

    def decorator(view):
        return login_required(rules_permission_required(perm, fn=fn, raise_exception=True)(view))

    return decorator
