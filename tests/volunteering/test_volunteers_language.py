"""The sign-up form speaks the page's language, choices included."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "expected", "not_expected"),
    [("en", "At most once a week", "Högst en gång"), ("sv", "Högst en gång i veckan", "At most")],
)
def test_how_often_choices_follow_the_language(client, language, expected, not_expected):
    client.cookies["tillsammans_language"] = language
    html = client.get(reverse("volunteering:volunteer_signup")).content.decode()
    assert expected in html
    assert not_expected not in html
