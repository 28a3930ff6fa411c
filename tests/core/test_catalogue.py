"""Every user-facing string has its Swedish, and the compiled catalogue is current."""

import ast
import gettext
from pathlib import Path

import tillsammans

LOCALE = Path(tillsammans.__file__).parent / "locale"
PO = LOCALE / "sv" / "LC_MESSAGES" / "django.po"


def parse_po(text: str) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr list, flags."""
    entries = []
    for block in text.strip().split("\n\n"):
        entry: dict = {"flags": "", "msgstr": []}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] += line
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                if key == "msgstr":
                    entry["msgstr"][-1] += ast.literal_eval(line)
                else:
                    entry[key] += ast.literal_eval(line)
            else:
                word, _, value = line.partition(" ")
                if word.startswith("msgstr"):
                    key = "msgstr"
                    entry["msgstr"].append(ast.literal_eval(value))
                else:
                    key = word
                    entry[key] = ast.literal_eval(value)
        entries.append(entry)
    return [entry for entry in entries if entry.get("msgid")]


def test_parser_finds_an_untranslated_entry():
    entries = parse_po('msgid ""\nmsgstr "x"\n\nmsgid "Hello"\n"world"\nmsgstr ""\n')
    assert entries == [{"flags": "", "msgid": "Helloworld", "msgstr": [""]}]


def test_every_string_is_translated_into_swedish():
    entries = parse_po(PO.read_text(encoding="utf-8"))
    assert len(entries) > 250
    assert [e["msgid"] for e in entries if "fuzzy" in e["flags"]] == [], "guessed translations"
    assert [e["msgid"] for e in entries if not all(e["msgstr"])] == []


def test_compiled_catalogue_matches_its_source():
    compiled = gettext.translation("django", localedir=LOCALE, languages=["sv"])
    stale = [
        entry["msgid"]
        for entry in parse_po(PO.read_text(encoding="utf-8"))
        if "msgid_plural" not in entry
        and "msgctxt" not in entry
        and compiled.gettext(entry["msgid"]) != entry["msgstr"][0]
    ]
    assert stale == [], "run `make messages` to compile the catalogue"
