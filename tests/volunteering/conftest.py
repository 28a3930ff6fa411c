"""Fixtures shared by the volunteering tests."""

import pytest

from tests.factories import LanguageFactory, LocalityFactory
from tests.volunteering.factories import HelpTypeFactory, PostalCodeFactory


@pytest.fixture
def taxonomy():
    locality = LocalityFactory(slug="ekero-centrum", name_sv="Ekerö centrum")
    PostalCodeFactory(code="17830", locality=locality)
    return {
        "locality": locality,
        "swedish": LanguageFactory(),
        "shopping": HelpTypeFactory(slug="handla"),
        "visit": HelpTypeFactory(slug="besok", requires_safeguarding=True),
    }
