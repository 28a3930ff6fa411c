"""Idélabbet's pages: the public form, receipt, status link, idea board and
the coaches' pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import AreaFactory
from tests.ideas.factories import IdeaFactory, coach
from tests.roles import ROLES
from tillsammans.ideas.models import CoachingNote, Idea, IdeaStatus
from tillsammans.ideas.services import ideas as services
from tillsammans.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

COACHES_ONLY = {
    **dict.fromkeys(ROLES, 403),
    "anonymous": 302,
    "staff_coach": 200,
    "site_admin": 200,
}


@pytest.fixture
def area(db):
    return AreaFactory(slug="kultur", name_sv="Kultur", name_en="Culture")


def form_data(area, **overrides):
    data = {
        "title": "Repair café",
        "what": "Fix bikes together.",
        "area": area.pk,
        "submitter_name": "Maja Idésson",
        "email": "maja@example.se",
        "phone": "",
        "language": "sv",
        "publish_consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def test_the_form_sends_the_idea_and_the_receipt_shows_the_status_link(client, area):
    assert client.get(reverse("ideas:new")).status_code == 200
    response = client.post(reverse("ideas:new"), form_data(area))
    assert response.status_code == 302
    assert response["Location"] == reverse("ideas:sent")
    idea = Idea.objects.get()
    receipt = client.get(reverse("ideas:sent"))
    assert "Repair café" in receipt.text
    token = client.session["ideas-receipt"]["token"]
    assert services.status_token_hash(token) == idea.status_token_hash
    assert reverse("ideas:status", kwargs={"token": token}) in receipt.text
    assert OutboxMessage.objects.filter(address="maja@example.se").exists()


def test_the_receipt_without_an_idea_sends_back_to_the_form(client):
    response = client.get(reverse("ideas:sent"))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"what": ""}, "what"),
        ({"email": "", "phone": ""}, "email"),
        ({"email": "nope"}, "email"),
        ({"phone": "12"}, "phone"),
        ({"what": "x" * 4001}, "what"),
        ({"under_16": "on"}, "submitter_name"),
    ],
)
def test_bad_input_shows_the_error_next_to_the_field(client, area, overrides, field):
    response = client.post(reverse("ideas:new"), form_data(area, **overrides))
    assert response.status_code == 200
    assert response.context["form"].errors.get(field)
    assert 'class="error-summary"' in response.text
    assert not Idea.objects.exists()


def test_a_filled_honeypot_stores_nothing(client, area):
    response = client.post(reverse("ideas:new"), form_data(area, website="http://spam"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Idea.objects.exists()


def test_eleven_ideas_an_hour_from_one_address_are_too_many(client, area):
    for number in range(10):
        response = client.post(reverse("ideas:new"), form_data(area, title=f"Idea {number}"))
        assert response.status_code == 302
    response = client.post(reverse("ideas:new"), form_data(area, title="One more"))
    assert response.status_code == 429
    assert Idea.objects.count() == 10


def test_refused_ideas_do_not_use_the_hourly_budget(client, area):
    for _number in range(12):
        client.post(reverse("ideas:new"), form_data(area, email="bad"))
    assert client.post(reverse("ideas:new"), form_data(area)).status_code == 302


def test_the_status_link_shows_only_that_idea_and_its_feedback(client):
    mine = IdeaFactory(title="My idea", status_token_hash=services.status_token_hash("mine"))
    IdeaFactory(title="Someone else's idea")
    services.idea_status_change(
        actor=coach(), idea=mine, new_status=IdeaStatus.IN_DIALOGUE, feedback="Lovely, call me."
    )
    response = client.get(reverse("ideas:status", kwargs={"token": "mine"}))
    assert response.status_code == 200
    assert "My idea" in response.text
    assert "Lovely, call me." in response.text
    assert "Someone else" not in response.text
    assert response["Cache-Control"] == "private, no-store"


def test_a_wrong_status_link_is_404(client):
    IdeaFactory(status_token_hash=services.status_token_hash("right"))
    assert client.get(reverse("ideas:status", kwargs={"token": "wrong"})).status_code == 404
    hashed = services.status_token_hash("right")
    assert client.get(reverse("ideas:status", kwargs={"token": hashed})).status_code == 404


def test_the_board_shows_only_published_ideas_without_contact_details(client):
    IdeaFactory(
        title="Public idea",
        publish_consent=True,
        submitter_name="Visible Nobody",
        email="secret@example.se",
        phone="+46701234567",
    )
    IdeaFactory(title="Private idea", publish_consent=False)
    response = client.get(reverse("ideas:board"))
    assert response.status_code == 200
    assert "Public idea" in response.text
    assert "Private idea" not in response.text
    for private in ["Visible Nobody", "secret@example.se", "+46701234567", "0701234567"]:
        assert private not in response.text


def test_the_public_pages_use_a_fixed_number_of_queries(client):
    idea = IdeaFactory(publish_consent=True, status_token_hash=services.status_token_hash("t"))
    the_coach = coach()
    services.idea_status_change(
        actor=the_coach, idea=idea, new_status=IdeaStatus.IN_DIALOGUE, feedback="one"
    )

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    board, status = count(reverse("ideas:board")), count(reverse("ideas:status", args=["t"]))
    for _number in range(4):
        IdeaFactory(publish_consent=True, area=AreaFactory())
    services.idea_status_change(
        actor=the_coach, idea=idea, new_status=IdeaStatus.COACHING, feedback="two"
    )
    assert count(reverse("ideas:board")) == board
    assert count(reverse("ideas:status", args=["t"])) == status


def test_staff_pages_are_for_coaches_and_site_admins(roles):
    idea = IdeaFactory()
    roles.assert_access(reverse("ideas:staff_list"), COACHES_ONLY)
    roles.assert_access(reverse("ideas:staff_idea", args=[idea.uuid]), COACHES_ONLY)


def test_an_unknown_idea_is_404(roles):
    import uuid

    response = roles.client("staff_coach").get(reverse("ideas:staff_idea", args=[uuid.uuid4()]))
    assert response.status_code == 404


def test_the_coach_list_puts_their_own_ideas_first_newest_first(roles):
    me = roles.user("staff_coach")
    other = coach()
    first_mine = IdeaFactory(title="Mine old", coach=me)
    IdeaFactory(title="Other new", coach=other)
    second_mine = IdeaFactory(title="Mine new", coach=me)
    response = roles.client("staff_coach").get(reverse("ideas:staff_list"))
    titles = [idea.title for idea in response.context["ideas"]]
    assert titles == [second_mine.title, first_mine.title, "Other new"]


def test_the_coach_pages_use_a_fixed_number_of_queries(roles):
    me = roles.user("staff_coach")
    client = roles.client("staff_coach")
    idea = IdeaFactory(coach=me)
    services.idea_status_change(
        actor=me, idea=idea, new_status=IdeaStatus.IN_DIALOGUE, feedback="a"
    )
    services.coaching_note_add(actor=me, idea=idea, text="n1")

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    listing = count(reverse("ideas:staff_list"))
    page = count(reverse("ideas:staff_idea", args=[idea.uuid]))
    for _number in range(4):
        IdeaFactory(coach=coach(f"c{_number}@kommun.example.se"), area=AreaFactory())
    services.idea_status_change(actor=me, idea=idea, new_status=IdeaStatus.COACHING, feedback="b")
    services.coaching_note_add(actor=coach("x@kommun.example.se"), idea=idea, text="n2")
    assert count(reverse("ideas:staff_list")) == listing
    assert count(reverse("ideas:staff_idea", args=[idea.uuid])) == page


def test_the_status_form_requires_feedback(roles):
    client = roles.client("staff_coach")
    idea = IdeaFactory()
    url = reverse("ideas:staff_idea", args=[idea.uuid])
    response = client.post(
        url, {"action": "status", "status-new_status": "in_dialogue", "status-feedback": ""}
    )
    assert response.status_code == 200
    assert response.context["status_form"].errors["feedback"]
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.RECEIVED
    response = client.post(
        url, {"action": "status", "status-new_status": "in_dialogue", "status-feedback": "Hi!"}
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.IN_DIALOGUE


def test_the_status_form_offers_only_allowed_transitions(roles):
    client = roles.client("staff_coach")
    idea = IdeaFactory(status=IdeaStatus.IN_DIALOGUE)
    url = reverse("ideas:staff_idea", args=[idea.uuid])
    form = client.get(url).context["status_form"]
    assert [value for value, _label in form.fields["new_status"].choices] == [
        "coaching",
        "not_pursued",
    ]
    response = client.post(
        url, {"action": "status", "status-new_status": "realised", "status-feedback": "x"}
    )
    assert response.context["status_form"].errors["new_status"]
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.IN_DIALOGUE


def test_notes_are_private_to_coaches_and_site_admins(roles, client):
    idea = IdeaFactory(publish_consent=True, status_token_hash=services.status_token_hash("tok"))
    url = reverse("ideas:staff_idea", args=[idea.uuid])
    response = roles.client("staff_coach").post(url, {"action": "note", "note-text": "Secret plan"})
    assert response.status_code == 302
    assert CoachingNote.objects.get().text == "Secret plan"
    assert "Secret plan" in roles.client("staff_coach").get(url).text
    assert "Secret plan" in roles.client("site_admin").get(url).text
    assert "Secret plan" not in client.get(reverse("ideas:status", args=["tok"])).text
    assert "Secret plan" not in client.get(reverse("ideas:board")).text
    # A site admin reads notes but does not write them.
    admin_page = roles.client("site_admin").get(url)
    assert 'name="note-text"' not in admin_page.text
    roles.client("site_admin").post(url, {"action": "note", "note-text": "Admin note"})
    assert CoachingNote.objects.count() == 1


def test_start_page_entries(roles, client):
    start = reverse("core:home")
    assert reverse("ideas:new") in client.get(start).text
    assert reverse("ideas:staff_list") not in client.get(start).text
    assert reverse("ideas:staff_list") in roles.client("staff_coach").get(start).text
    assert reverse("ideas:staff_list") not in roles.client("staff_triage").get(start).text
