"""Every part's zh_Hans catalogue is complete, current with the code, and compiled.

Failures name the part and the msgids, so each team fixes its own catalogue with
`bin/messages <part>` (then fill the empty msgstr, run it again, commit .po and .mo).
"""

import gettext
import shutil
import subprocess

import pytest
from django.conf import settings

from tests.i18n.catalogues import messages_tool, parse_po, po_path

#: Checks known to fail on this branch for a part, and who completes that part. They are
#: xfail(strict): when the part is fixed its test XPASSes and fails — then delete the entry
#: (and the part from catalogues.INCOMPLETE_PARTS).
KNOWN_INCOMPLETE: dict[tuple[str, str], str] = {}


def _parts(check: str):
    for part in settings.LOCALE_PARTS:
        reason = KNOWN_INCOMPLETE.get((part, check))
        marks = pytest.mark.xfail(strict=True, reason=reason) if reason else ()
        yield pytest.param(part, marks=marks, id=part)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """A fresh extraction of every part into a temporary folder (never touches locale/)."""
    if not shutil.which("xgettext"):
        pytest.skip("GNU gettext (xgettext) is not installed: apt-get install gettext")
    tool, root = messages_tool(), tmp_path_factory.mktemp("locale")
    found = {}
    for part in settings.LOCALE_PARTS:
        po = tool.extract(part, root / part)
        found[part] = {e.msgid for e in parse_po(po)} if po.exists() else set()
    return found


def _committed(part: str, extracted) -> list:
    path = po_path(part)
    if not path.exists():
        if not extracted[part]:
            pytest.skip(f"part {part!r} has no translatable string yet")
        pytest.fail(f"{part}: no catalogue at {path}; run `bin/messages {part}` and translate it")
    return parse_po(path)


@pytest.mark.parametrize("part", _parts("complete"))
def test_catalogue_is_complete(part, extracted):
    missing = [e.msgid for e in _committed(part, extracted) if not e.translated]
    assert not missing, (f"{part}: {len(missing)} untranslated or fuzzy entries in "
                         f"{po_path(part)}:\n  " + "\n  ".join(repr(m) for m in missing))


@pytest.mark.parametrize("part", _parts("current"))
def test_catalogue_has_every_string_of_the_code(part, extracted):
    committed = {e.msgid for e in _committed(part, extracted)}
    missing = sorted(extracted[part] - committed)
    assert not missing, (f"{part}: strings in the code but not in {po_path(part)} — run "
                         f"`bin/messages {part}` and translate them:\n  "
                         + "\n  ".join(repr(m) for m in missing))


@pytest.mark.parametrize("part", settings.LOCALE_PARTS)
def test_compiled_catalogue_matches_the_po(part, tmp_path):
    path = po_path(part)
    if not path.exists():
        pytest.skip(f"part {part!r} has no catalogue")
    if not shutil.which("msgfmt"):
        pytest.skip("GNU gettext (msgfmt) is not installed: apt-get install gettext")
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(path)], check=True,
                   capture_output=True)
    committed = path.with_suffix(".mo")
    assert committed.exists(), f"{part}: {committed} is missing; run `bin/messages {part}`"
    with committed.open("rb") as ours_file, fresh.open("rb") as fresh_file:
        ours = gettext.GNUTranslations(ours_file)._catalog
        theirs = gettext.GNUTranslations(fresh_file)._catalog
    stale = sorted(str(k) for k in set(ours) | set(theirs) if ours.get(k) != theirs.get(k))
    assert not stale, (f"{part}: the committed .mo differs from the .po; run `bin/messages "
                       f"{part}` and commit the .mo:\n  " + "\n  ".join(stale[:40]))
