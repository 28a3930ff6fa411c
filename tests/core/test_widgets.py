"""PlainSelect renders what Django's Select renders, escaping included."""

import re

import pytest
from django import forms

from tillsammans.core.widgets import PlainSelect

CHOICES = [
    ("", "Alla"),
    ("a&b", "A <b>"),
    ("c", "C"),
    ("Öar", [("ekero", "Ekerö"), ("adelso", "Adelsö")]),
]


def _squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("value", ["c", "", None, "a&b", "adelso", "unknown"])
def test_plain_select_matches_django_select(value):
    attrs = {"aria-describedby": "id_f_helptext", "class": "wide"}
    expected = forms.Select(choices=CHOICES, attrs=attrs).render("f", value, {"id": "id_f"})
    rendered = PlainSelect(choices=CHOICES, attrs=attrs).render("f", value, {"id": "id_f"})
    assert _squeeze(rendered) == _squeeze(expected)


def test_plain_select_escapes_labels_and_values():
    rendered = PlainSelect(choices=[('"x"', "<script>")]).render("f", None)
    assert "<script>" not in rendered
    assert "&lt;script&gt;" in rendered
    assert 'value="&quot;x&quot;"' in rendered
