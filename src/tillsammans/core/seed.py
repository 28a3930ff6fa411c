"""The shared taxonomy of an Ekerö-like municipality, for seed_demo.

Coordinates are those of the real places (WGS 84); the postal codes are demo
values in the area's 178 xx range, one locality per code.
"""

from typing import TextIO

from django.db import transaction

from tillsammans.core.models import Area, Language, Locality, PostalCode, TargetGroup

AREAS = [
    ("integration", "Integration", "Integration"),
    ("aldre", "Äldre", "Older people"),
    ("funktionsnedsattning", "Funktionsnedsättning", "Disability"),
    ("barn-och-unga", "Barn och unga", "Children and young people"),
    ("kultur-och-fritid", "Kultur och fritid", "Culture and leisure"),
    ("idrott", "Idrott", "Sports"),
    ("trygghet-och-brottsofferstod", "Trygghet och brottsofferstöd", "Safety and victim support"),
    ("folkhalsa", "Folkhälsa", "Public health"),
    ("miljo", "Miljö", "Environment"),
    ("krisberedskap", "Krisberedskap", "Emergency preparedness"),
    ("demokrati-och-delaktighet", "Demokrati och delaktighet", "Democracy and participation"),
]

TARGET_GROUPS = [
    ("barn", "Barn", "Children"),
    ("unga", "Unga", "Young people"),
    ("vuxna", "Vuxna", "Adults"),
    ("seniorer", "Seniorer", "Seniors"),
    ("nyanlanda", "Nyanlända", "Newcomers"),
    (
        "personer-med-funktionsnedsattning",
        "Personer med funktionsnedsättning",
        "People with disabilities",
    ),
    ("anhoriga", "Anhöriga", "Family carers"),
    ("familjer", "Familjer", "Families"),
    ("foreningar", "Föreningar", "Associations"),
]

# slug, name, latitude, longitude, postal codes
LOCALITIES = [
    ("ekero-centrum", "Ekerö centrum", "59.29150", "17.80880", ["17830", "17831", "17832"]),
    ("stenhamra", "Stenhamra", "59.33520", "17.68960", ["17890"]),
    ("trakvista", "Träkvista", "59.30150", "17.83420", ["17836", "17837"]),
    ("tappstrom", "Tappström", "59.29060", "17.79340", ["17833"]),
    ("ska", "Skå", "59.37360", "17.62110", ["17896"]),
    ("farentuna", "Färentuna", "59.38870", "17.65190", ["17897"]),
    ("kungsberga", "Kungsberga", "59.37010", "17.71840", ["17898"]),
    ("sanga", "Sånga", "59.35640", "17.73790", ["17894"]),
    ("hilleshog", "Hilleshög", "59.41870", "17.64680", ["17895"]),
    ("adelso", "Adelsö", "59.35610", "17.52280", ["17892"]),
    ("munso", "Munsö", "59.40990", "17.58810", ["17891"]),
    ("lovo", "Lovö", "59.32030", "17.87190", ["17803"]),
    ("drottningholm", "Drottningholm", "59.32170", "17.88640", ["17802"]),
    ("alvnas", "Älvnäs", "59.30860", "17.82610", ["17838"]),
    ("narlunda", "Närlunda", "59.29760", "17.81500", ["17834", "17835"]),
    ("helgo", "Helgö", "59.26150", "17.70560", ["17899"]),
]

# code, Swedish, English, native, right-to-left
LANGUAGES = [
    ("sv", "svenska", "Swedish", "svenska", False),
    ("en", "engelska", "English", "English", False),
    ("ar", "arabiska", "Arabic", "العربية", True),
    ("fa", "persiska", "Persian", "فارسی", True),
    ("so", "somaliska", "Somali", "Soomaali", False),
    ("ti", "tigrinska", "Tigrinya", "ትግርኛ", False),
    ("uk", "ukrainska", "Ukrainian", "українська", False),
    ("fi", "finska", "Finnish", "suomi", False),
    ("de", "tyska", "German", "Deutsch", False),
    ("es", "spanska", "Spanish", "español", False),
    ("ru", "ryska", "Russian", "русский", False),
    ("sgn", "svenskt teckenspråk", "Swedish Sign Language", "svenskt teckenspråk", False),
]


def build_taxonomy(stdout: TextIO) -> None:
    with transaction.atomic():
        for order, (slug, sv, en) in enumerate(AREAS):
            Area.objects.update_or_create(
                slug=slug, defaults={"name_sv": sv, "name_en": en, "sort_order": order}
            )
        for order, (slug, sv, en) in enumerate(TARGET_GROUPS):
            TargetGroup.objects.update_or_create(
                slug=slug, defaults={"name_sv": sv, "name_en": en, "sort_order": order}
            )
        for order, (slug, name, lat, lon, codes) in enumerate(LOCALITIES):
            locality, _created = Locality.objects.update_or_create(
                slug=slug,
                defaults={
                    "name_sv": name,
                    "name_en": name,
                    "latitude": lat,
                    "longitude": lon,
                    "sort_order": order,
                },
            )
            for code in codes:
                PostalCode.objects.update_or_create(code=code, defaults={"locality": locality})
        for code, sv, en, native, rtl in LANGUAGES:
            Language.objects.update_or_create(
                code=code,
                defaults={
                    "name_sv": sv,
                    "name_en": en,
                    "native_name": native,
                    "is_right_to_left": rtl,
                },
            )
    stdout.write(
        f"  taxonomy: {len(AREAS)} areas, {len(TARGET_GROUPS)} target groups, "
        f"{len(LOCALITIES)} localities, {len(LANGUAGES)} languages\n"
    )
