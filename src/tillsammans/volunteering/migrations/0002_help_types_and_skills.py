"""The help types and skills of the pandemic's handlingshjälp and Väntjänsten.

A new installation can take help requests on day one; coordinators add or
retire terms in the admin.
"""

from django.db import migrations

HELP_TYPES = [
    # slug, Swedish, English, needs a police-record extract
    ("handla", "Handla mat", "Grocery shopping", False),
    ("apoteksarende", "Apoteksärende", "Pharmacy errand", False),
    ("ledsagning", "Ledsagning", "Escort", False),
    ("besok", "Besök i hemmet", "Home visit", True),
    ("hoglasning", "Högläsning", "Reading aloud", True),
    ("telefonsallskap", "Sällskap i telefon", "Phone company", False),
    ("skjuts", "Skjuts", "Transport", False),
    ("annat", "Annat", "Other", False),
]

SKILLS = [
    ("korkort", "Körkort", "Driving licence"),
    ("bil", "Tillgång till bil", "Access to a car"),
    ("forsta-hjalpen", "Första hjälpen", "First aid"),
    ("rullstol", "Van vid rullstol", "Used to wheelchairs"),
    ("teckensprak", "Teckenspråk", "Sign language"),
]


def add_terms(apps, schema_editor):
    HelpType = apps.get_model("volunteering", "HelpType")
    Skill = apps.get_model("volunteering", "Skill")
    for order, (slug, name_sv, name_en, safeguarding) in enumerate(HELP_TYPES):
        HelpType.objects.get_or_create(
            slug=slug,
            defaults={
                "name_sv": name_sv,
                "name_en": name_en,
                "requires_safeguarding": safeguarding,
                "sort_order": order * 10,
            },
        )
    for order, (slug, name_sv, name_en) in enumerate(SKILLS):
        Skill.objects.get_or_create(
            slug=slug, defaults={"name_sv": name_sv, "name_en": name_en, "sort_order": order * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("volunteering", "0001_initial")]

    operations = [migrations.RunPython(add_terms, migrations.RunPython.noop)]
