"""Idélabbet's rules: sending an idea, status changes with feedback, notes."""

import pytest

from tests.factories import AreaFactory, LocalityFactory, UserFactory
from tests.ideas.factories import IdeaFactory, coach
from tillsammans.audit.models import AuditEntry
from tillsammans.core.errors import NotPermitted
from tillsammans.ideas.models import CoachingNote, Idea, IdeaStatus
from tillsammans.ideas.services import ideas as services
from tillsammans.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def details(**overrides):
    values = {
        "title": "Repair café",
        "what": "Fix bikes and toasters together on Saturdays.",
        "area": AreaFactory(slug="kultur"),
        "submitter_name": "Maja Idésson",
        "email": "Maja@Example.se",
    }
    values.update(overrides)
    return services.IdeaDetails(**values)


def test_submit_stores_the_idea_assigns_a_coach_and_sends_a_receipt():
    the_coach = coach()
    locality = LocalityFactory()
    idea, token = services.idea_submit(
        details=details(
            locality=locality, help_wanted=["premises", "funding", "premises"], language="en"
        )
    )
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.RECEIVED
    assert idea.coach == the_coach
    assert idea.email == "maja@example.se"
    assert idea.help_wanted == ["premises", "funding"]
    assert idea.locality == locality
    assert idea.status_token_hash == services.status_token_hash(token)
    assert token not in idea.status_token_hash
    receipt = OutboxMessage.objects.get()
    assert receipt.address == "maja@example.se"
    assert receipt.language == "en"
    assert token in receipt.body
    assert AuditEntry.objects.filter(action="create", target_type="ideas.idea").count() == 1


def test_phone_only_gets_no_receipt_by_email():
    idea, _token = services.idea_submit(details=details(email="", phone="070-123 45 67"))
    assert idea.phone == "+46701234567"
    assert not OutboxMessage.objects.exists()


def test_the_coach_with_fewest_open_ideas_gets_the_new_one():
    busy = coach("busy@kommun.example.se")
    free = coach("free@kommun.example.se")
    IdeaFactory(coach=busy)
    IdeaFactory(coach=free, status=IdeaStatus.REALISED)  # closed ideas do not count
    idea, _token = services.idea_submit(details=details())
    assert idea.coach == free


def test_without_coaches_the_idea_waits_unassigned():
    idea, _token = services.idea_submit(details=details())
    assert idea.coach is None


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"title": "  "}, services.TitleMissing),
        ({"what": ""}, services.WhatMissing),
        ({"submitter_name": ""}, services.NameMissing),
        ({"email": "", "phone": ""}, services.ContactMissing),
        ({"email": "not-an-address"}, services.InvalidEmail),
        ({"phone": "08-123 456"}, services.InvalidPhone),
        ({"title": "x" * 121}, services.TextTooLong),
        ({"what": "x" * 4001}, services.TextTooLong),
        ({"help_wanted": ["money"]}, services.HelpWantedInvalid),
        ({"under_16": True}, services.UnderSixteenName),
        (
            {"under_16": True, "submitter_name": "Maja", "phone": "0701234567"},
            services.UnderSixteenContact,
        ),
    ],
)
def test_bad_input_is_refused(overrides, error):
    with pytest.raises(error):
        services.idea_submit(details=details(**overrides))
    assert not Idea.objects.exists()


def test_an_inactive_area_is_refused():
    with pytest.raises(services.AreaNotAvailable):
        services.idea_submit(details=details(area=AreaFactory(slug="old", is_active=False)))


def test_under_16_with_first_name_and_one_way_to_reach_is_accepted():
    idea, _token = services.idea_submit(details=details(under_16=True, submitter_name=" Maja "))
    assert idea.under_16
    assert idea.submitter_name == "Maja"


def test_status_change_sends_feedback_in_the_submitter_s_language():
    the_coach = coach()
    idea = IdeaFactory(language="en", email="sam@example.se")
    services.idea_status_change(
        actor=the_coach, idea=idea, new_status=IdeaStatus.IN_DIALOGUE, feedback="Let us meet!"
    )
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.IN_DIALOGUE
    change = idea.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == (
        IdeaStatus.RECEIVED,
        IdeaStatus.IN_DIALOGUE,
        the_coach,
    )
    message = OutboxMessage.objects.get()
    assert message.language == "en"
    assert message.address == "sam@example.se"
    assert message.channel == OutboxMessage.Channel.EMAIL
    assert "Let us meet!" in message.body
    assert "In dialogue" in message.body
    assert AuditEntry.objects.filter(
        action="change", target_type="ideas.idea", target_id=str(idea.uuid)
    ).exists()


def test_feedback_to_a_swedish_speaker_is_in_swedish_and_by_sms_without_e_mail():
    idea = IdeaFactory(language="sv", email="", phone="+46701234567")
    services.idea_status_change(
        actor=coach(), idea=idea, new_status=IdeaStatus.IN_DIALOGUE, feedback="Hej!"
    )
    message = OutboxMessage.objects.get()
    assert (message.language, message.channel, message.address) == (
        "sv",
        OutboxMessage.Channel.SMS,
        "+46701234567",
    )
    assert "Hej!" in message.body


@pytest.mark.parametrize("feedback", ["", "   \n "])
def test_a_status_change_without_feedback_is_refused(feedback):
    idea = IdeaFactory()
    with pytest.raises(services.FeedbackMissing):
        services.idea_status_change(
            actor=coach(), idea=idea, new_status=IdeaStatus.IN_DIALOGUE, feedback=feedback
        )
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.RECEIVED
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize(
    ("current", "new"),
    [
        (IdeaStatus.RECEIVED, IdeaStatus.COACHING),
        (IdeaStatus.RECEIVED, IdeaStatus.REALISED),
        (IdeaStatus.RECEIVED, IdeaStatus.NOT_PURSUED),
        (IdeaStatus.IN_DIALOGUE, IdeaStatus.REALISED),
        (IdeaStatus.REALISED, IdeaStatus.COACHING),
        (IdeaStatus.NOT_PURSUED, IdeaStatus.IN_DIALOGUE),
        (IdeaStatus.COACHING, "nonsense"),
    ],
)
def test_invalid_transitions_are_refused(current, new):
    idea = IdeaFactory(status=current)
    with pytest.raises(services.TransitionNotAllowed):
        services.idea_status_change(actor=coach(), idea=idea, new_status=new, feedback="Why")
    idea.refresh_from_db()
    assert idea.status == current


def test_the_whole_way_to_realised():
    the_coach = coach()
    idea = IdeaFactory()
    for status in [IdeaStatus.IN_DIALOGUE, IdeaStatus.COACHING, IdeaStatus.REALISED]:
        services.idea_status_change(actor=the_coach, idea=idea, new_status=status, feedback="ok")
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.REALISED
    assert idea.status_changes.count() == 3


def test_only_coaches_and_site_admins_change_status():
    idea = IdeaFactory()
    with pytest.raises(NotPermitted):
        services.idea_status_change(
            actor=UserFactory(), idea=idea, new_status=IdeaStatus.IN_DIALOGUE, feedback="x"
        )


def test_coaching_notes_are_for_coaches_only():
    idea = IdeaFactory()
    note = services.coaching_note_add(actor=coach(), idea=idea, text="Call the library.")
    assert CoachingNote.objects.get() == note
    with pytest.raises(NotPermitted):
        services.coaching_note_add(actor=UserFactory(), idea=idea, text="x")
    with pytest.raises(services.NoteMissing):
        services.coaching_note_add(
            actor=idea.coach or coach("c3@kommun.example.se"), idea=idea, text=" "
        )
