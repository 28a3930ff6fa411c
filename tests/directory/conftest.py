import pytest
from django.utils import translation


@pytest.fixture
def english_client(client):
    """The test client with the English UI (message texts are asserted in English)."""
    client.cookies["tillsammans_language"] = "en"
    return client


@pytest.fixture
def english():
    with translation.override("en"):
        yield
