"""Reading the per-part gettext catalogues (locale/<part>/zh_Hans/LC_MESSAGES/django.po)."""

from __future__ import annotations

import ast
import importlib.util
import re
import tempfile
from dataclasses import dataclass, field
from importlib.machinery import SourceFileLoader
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LANGUAGE = "zh_Hans"
#: Parts whose catalogue is known to be incomplete on this branch (who completes them is in
#: test_catalogues.KNOWN_INCOMPLETE); their untranslated strings do not fail the page checks.
INCOMPLETE_PARTS: set[str] = set()


@dataclass
class Entry:
    msgid: str
    plural: str | None = None
    msgstrs: list[str] = field(default_factory=list)
    fuzzy: bool = False

    @property
    def translated(self) -> bool:
        return bool(self.msgstrs) and all(self.msgstrs) and not self.fuzzy


def po_path(part: str) -> Path:
    return ROOT / "locale" / part / LANGUAGE / "LC_MESSAGES" / "django.po"


def _string(line: str) -> str:
    return ast.literal_eval(line)


def parse_po(path: Path) -> list[Entry]:
    """Every entry except the header, with its translations and fuzzy flag."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        flags, current = "", None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags += line
            elif line.startswith("#"):
                continue
            elif match := re.match(r"^(msgid|msgid_plural|msgstr(?:\[\d+\])?) (\".*\")$", line):
                current = match.group(1)
                fields[current] = _string(match.group(2))
            elif line.startswith('"') and current:
                fields[current] += _string(line)
        if "msgid" not in fields or fields["msgid"] == "":
            continue
        strs = [v for k, v in sorted(fields.items()) if k.startswith("msgstr")]
        entries.append(Entry(fields["msgid"], fields.get("msgid_plural"), strs, "fuzzy" in flags))
    return entries


def messages_tool():
    """bin/messages as a module (its PARTS and extract())."""
    loader = SourceFileLoader("opencem_messages", str(ROOT / "bin" / "messages"))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def known_translations() -> dict[str, tuple[str, str]]:
    """msgid -> (msgstr, part) over every committed catalogue, translated entries only."""
    known = {}
    for part in settings.LOCALE_PARTS:
        path = po_path(part)
        if path.exists():
            for entry in parse_po(path):
                if entry.translated and entry.msgstrs[0] != entry.msgid:
                    known[entry.msgid] = (entry.msgstrs[0], part)
    return known


def untranslated_of_incomplete_parts() -> dict[str, str]:
    """msgid -> part: strings still untranslated in the parts listed in INCOMPLETE_PARTS."""
    found = {}
    with tempfile.TemporaryDirectory() as tmp:
        for part in INCOMPLETE_PARTS:
            path = po_path(part)
            if not path.exists():  # no catalogue yet: every string of the code is pending
                path = messages_tool().extract(part, Path(tmp) / part)
            if path.exists():
                found.update({e.msgid: part for e in parse_po(path) if not e.translated})
    return found
