"""hujin's own catalogues (locale/zh_Hans) are compiled and the compiled files are in the tree:
nothing compiles them at deploy, so a .mo older than its .po would serve the old Chinese."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

MESSAGES = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
QUOTED = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[0\])?) "(.*)"$')


def unquoted(text):
    return re.sub(r'\\(["\\n])', lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def po_entries(path):
    """The entries of a .po file as hujin writes them: {"msgctxt", "msgid", "msgid_plural",
    "msgstr"} each, the header left out."""
    entries, entry, key = [], {}, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry.get("msgid"):
                entries.append(entry)
            entry, key = {}, None
        elif not line.startswith("#"):
            quoted = QUOTED.match(line)
            if quoted:
                key = quoted.group(1).replace("[0]", "")
                entry[key] = unquoted(quoted.group(2))
            else:
                entry[key] += unquoted(line.strip()[1:-1])
    return entries


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_compiled_catalogue_holds_every_translation_of_its_source(domain):
    with open(MESSAGES / ("%s.mo" % domain), "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog
    entries = po_entries(MESSAGES / ("%s.po" % domain))
    assert len(entries) > 5

    for entry in entries:
        key = entry["msgid"]
        if "msgctxt" in entry:
            key = "%s\x04%s" % (entry["msgctxt"], key)
        if "msgid_plural" in entry:
            key = (key, 0)
        assert catalogue.get(key) == entry["msgstr"], "locale/: compile %s.po again" % domain
    assert len(catalogue) == len(entries) + 1  # and the header
