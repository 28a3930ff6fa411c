"""Every public page answers in Swedish (default) and English."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

PAGES = [
    ("core:home", "Tillsammans kan vi mer", "Together we can do more"),
    ("core:accessibility", "Tillgänglighetsredogörelse", "Accessibility statement"),
    ("core:privacy", "Så hanterar vi dina personuppgifter", "How we handle your personal data"),
    ("account_login", "Logga in", "Sign In"),
    ("account_signup", "Skapa konto", "Sign Up"),
    ("account_reset_password", "Återställning av lösenord", "Password Reset"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "swedish", "english"), PAGES)
def test_page_in_both_languages(client, url_name, swedish, english):
    url = reverse(url_name)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="sv"' in html
    assert swedish in html

    client.post(reverse("set_language"), {"language": "en", "next": url})
    html = client.get(url).content.decode()
    assert '<html lang="en"' in html
    assert english in html


@pytest.mark.django_db
def test_language_switch_returns_to_the_same_page(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/privacy/"})
    assert response.status_code == 302
    assert response["Location"] == "/privacy/"


@pytest.mark.django_db
def test_start_page_links_only_to_pages_that_exist(client, roles):
    for role in ["anonymous", "resident", "staff_coordinator", "site_admin"]:
        html = roles.client(role).get("/").content.decode()
        links = [part.split('"')[0] for part in html.split('href="')[1:]]
        for link in links:
            if link.startswith("/") and not link.startswith("/static/"):
                status = roles.client(role).get(link).status_code
                assert status in (200, 302), f"{role}: {link} answered {status}"


@pytest.mark.django_db
def test_start_page_shows_staff_tools_only_to_staff(roles):
    assert "Personalverktyg" not in roles.client("resident").get("/").content.decode()
    assert "Personalverktyg" in roles.client("staff_editor").get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True])
def test_start_page_query_count_is_fixed(client, django_assert_max_num_queries, signed_in):
    if signed_in:
        client.force_login(UserFactory(verified=True))
    # Session and user, the entries' permission checks (representative,
    # volunteer), and the campaign banner on a cold cache.
    with django_assert_max_num_queries(8):
        assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_accessibility_statement_says_how_to_report_and_links_digg(client):
    html = client.get(reverse("core:accessibility")).content.decode()
    assert "https://www.digg.se/tdosanmalan" in html
    assert "mailto:" in html
    for status in ["Helt förenlig", "Delvis förenlig", "Inte förenlig"]:
        assert status in html


SIGNED_IN_PAGES = [
    ("resident", "accounts:profile"),
    ("resident", "accounts:erase"),
    ("resident", "account_email"),
    ("resident", "account_change_password"),
    ("resident", "mfa_index"),
    ("staff_coordinator", "accounts:staff"),
    ("staff_coordinator", "notifications:outbox"),
]


def heading(html: str) -> str:
    return html.split("<h1", 1)[1].split(">", 1)[1].split("</h1>", 1)[0].strip()


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "url_name"), SIGNED_IN_PAGES)
def test_signed_in_pages_in_both_languages(roles, role, url_name):
    client = roles.client(role)
    url = reverse(url_name)
    swedish = client.get(url)
    assert swedish.status_code == 200
    assert '<html lang="sv"' in swedish.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": url})
    english = client.get(url).content.decode()
    assert '<html lang="en"' in english
    assert heading(swedish.content.decode()) != heading(english), "the heading is not translated"


@pytest.mark.django_db
def test_missing_page_answers_404_in_the_site_layout(client):
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    assert "Sidan hittades inte" in response.content.decode()


@pytest.mark.django_db
def test_forbidden_page_explains_in_the_site_layout(roles):
    response = roles.client("resident").get(reverse("accounts:staff"))
    assert response.status_code == 403
    assert "Personalverktyg" not in response.content.decode().split("<main", 1)[1]
    assert "<main" in response.content.decode()


@pytest.mark.django_db
def test_sign_up_is_rate_limited(client):
    statuses = [
        client.post(
            reverse("account_signup"),
            {
                "email": f"person{n}@example.se",
                "password1": "ett långt lösenord 42",
                "password2": "ett långt lösenord 42",
            },
        ).status_code
        for n in range(12)
    ]
    assert statuses[:10] == [302] * 10
    assert statuses[10:] == [429, 429]


@pytest.mark.django_db
def test_start_page_stays_light(client):
    """DESIGN §4: public pages < 100 KB without images, everything from our own origin."""
    import re
    from pathlib import Path

    from django.contrib.staticfiles import finders

    html = client.get("/").content.decode()
    assets = re.findall(r'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    assert assets, "the page links its stylesheet and script"
    total = len(html.encode()) + sum(Path(finders.find(asset)).stat().st_size for asset in assets)
    assert total < 100 * 1024
