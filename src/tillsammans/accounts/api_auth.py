"""Bearer-token authentication for integrations."""

from ninja.security import HttpBearer

from tillsammans.accounts.services import api_token_authenticate


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer tsm_…`; the request then acts as the token's user."""

    def authenticate(self, request, token: str):
        user = api_token_authenticate(raw_key=token)
        if user is None:
            return None
        request.user = user
        return user
