"""Domain errors: a failed business rule, with a message for the person."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A business rule said no. ``message`` is translatable and may use %(name)s
    placeholders filled from the keyword arguments. Views turn it into a form
    error, the API into a 4xx body; it never reaches a person as a 500."""

    message = _("This action could not be carried out.")
    status_code = 400
    code = "domain_error"

    def __init__(self, message=None, **params):
        self.params = params
        if message is not None:
            self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        text = str(self.message)
        return text % self.params if self.params else text


class NotPermitted(DomainError):
    message = _("You are not allowed to do this.")
    status_code = 403
    code = "not_permitted"
