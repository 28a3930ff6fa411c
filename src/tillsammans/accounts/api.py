from ninja import Router, Schema

from tillsammans.accounts.api_auth import ApiTokenAuth

router = Router(tags=["accounts"])


class Me(Schema):
    id: str
    email: str
    name: str
    language: str
    capabilities: list[str]


@router.get("/me", response=Me, auth=ApiTokenAuth(), summary="The account the token acts as")
def me(request):
    user = request.auth
    capabilities = sorted(set(user.staff_memberships.values_list("capability", flat=True)))
    return {
        "id": str(user.uuid),
        "email": user.email,
        "name": user.full_name,
        "language": user.preferred_language,
        "capabilities": capabilities,
    }
