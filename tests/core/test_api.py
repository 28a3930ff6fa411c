from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import LocalityFactory, StaffMembershipFactory, UserFactory
from tillsammans.accounts.services import api_token_create, api_token_revoke
from tillsammans.core.models import PostalCode

pytestmark = pytest.mark.django_db


def test_openapi_document_describes_the_api(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/areas" in document["paths"]
    assert "/api/v1/accounts/me" in document["paths"]


def test_api_metadata(client):
    data = client.get("/api/v1/").json()
    assert data["name"] == "Tillsammans"
    assert data["openapi"].endswith("/api/v1/openapi.json")


def test_localities_are_open_data_with_a_fixed_query_count(client, django_assert_num_queries):
    for n in range(3):
        locality = LocalityFactory()
        PostalCode.objects.create(locality=locality, code=f"1783{n}")
    with django_assert_num_queries(2):
        data = client.get("/api/v1/localities").json()
    assert len(data) == 3
    assert data[0]["postal_codes"] == ["17830"]


def test_postal_code_lookup(client):
    locality = LocalityFactory(name_sv="Stenhamra")
    PostalCode.objects.create(locality=locality, code="17890")
    assert (
        client.get("/api/v1/localities/by-postal-code?postal_code=178 90").json()["name_sv"]
        == "Stenhamra"
    )


@pytest.mark.parametrize(
    ("code", "status"), [("abc", 422), ("1789", 422), ("99999", 404), ("", 422)]
)
def test_postal_code_lookup_bad_input_has_an_error_body(client, code, status):
    response = client.get(f"/api/v1/localities/by-postal-code?postal_code={code}")
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert body["detail"]


def test_missing_parameter_lists_the_field(client):
    body = client.get("/api/v1/localities/by-postal-code").json()
    assert body["errors"][0]["field"] == "postal_code"


def test_token_authentication(client):
    staff = StaffMembershipFactory(capability="coordinator").user
    _token, key = api_token_create(actor=None, user=staff, name="Integration")
    response = client.get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    assert response.json()["capabilities"] == ["coordinator"]


@pytest.mark.parametrize("header", [None, "Bearer tsm_wrong", "Bearer", "Basic abc"])
def test_without_a_valid_token_the_answer_is_401_with_a_reason(client, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/accounts/me", headers=headers)
    assert response.status_code == 401
    assert response.json() == {"detail": "En giltig API-nyckel krävs.", "errors": []}


def test_revoked_and_expired_tokens_are_refused(client):
    user = UserFactory()
    token, key = api_token_create(actor=None, user=user, name="Old")
    api_token_revoke(actor=None, token=token)
    assert (
        client.get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {key}"}).status_code
        == 401
    )
    token, key = api_token_create(actor=None, user=user, name="Expired", valid_days=1)
    token.expires_at = timezone.now() - timedelta(minutes=1)
    token.save()
    assert (
        client.get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {key}"}).status_code
        == 401
    )


def test_tokens_are_stored_only_as_hashes():
    token, key = api_token_create(actor=None, user=UserFactory(), name="X")
    assert key not in token.key_hash
    assert token.key_hint == key[:8]
