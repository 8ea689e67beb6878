"""No part's translation is silently shadowed by another part's.

Django merges the catalogues of LOCALE_PATHS in order and the first translation of a msgid
wins, so when two parts translate the same bare msgid differently, the later part's pages show
the earlier part's words (improvement's ticket status "Open" once read 开放, voice's word for an
open survey link, and its effect check's "Before" read 截止日期). A part that means something
else gives the string a context (pgettext / {% translate "…" context "…" %}).

Pairs where both translations fit every use are listed in SYNONYMS.
"""

import ast
import re

import pytest
from django.conf import settings
from django.utils import translation

from tests.i18n.catalogues import po_path

#: msgid -> why showing the first part's translation everywhere is fine.
SYNONYMS = {
    "Department changed": "audit label vs. ticket event: 修改部门 / 部门变更 say the same",
    "Active": "有效 fits an active API key, member, webhook and survey link",
    "active": "有效 fits an active survey link and an enabled webhook",
    "From": "date-range inputs: 从 / 起始日期 / 开始",
    "To": "date-range inputs: 至 / 结束",
    "By": "操作人 fits the uploader of an import",
    "Email": "邮箱 / 邮件 both name the address",
    "Created": "创建时间 fits the ticket's creation time",
    "Responses": "回复数 / 答卷数 both count survey answers",
    "First response": "首次响应 labels the dashboard's KPI well enough",
    "No department": "无部门 / 不属于任何部门",
    "Details": "详情 / 基本信息 both head a details card",
    "What happens": "the voice page asking it is a deletion too",
    "The audit history keeps a record of the deletion.": "the same sentence in other words",
    "Organization": "组织 fits the organization-wide scope",
    "Partner": "合作方 / 合作伙伴",
    "Show": "显示 / 查看 on a form's submit button",
    "Period": "时间段 / 时段",
}


def _entries(part: str):
    """(context, msgid, msgstr) of every translated singular entry of a part."""
    path = po_path(part)
    if not path.exists():
        return []
    found = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        if "#, fuzzy" in block or "msgid_plural" in block:
            continue
        fields, current = {}, None
        for line in block.splitlines():
            if match := re.match(r"^(msgctxt|msgid|msgstr) (\".*\")$", line):
                current = match.group(1)
                fields[current] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
        if fields.get("msgid") and fields.get("msgstr"):
            found.append((fields.get("msgctxt"), fields["msgid"], fields["msgstr"]))
    return found


@pytest.mark.parametrize("part", settings.LOCALE_PARTS)
def test_the_part_shows_its_own_translations(part):
    shadowed = []
    with translation.override("zh-hans"):
        for context, msgid, msgstr in _entries(part):
            shown = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
            if shown != msgstr and msgid not in SYNONYMS:
                shadowed.append(f"{msgid!r} ({context or 'no context'}): {msgstr!r} is shown as {shown!r}")
    assert not shadowed, (
        f"{part}: another part's catalogue translates these first; give them a context "
        f"(pgettext_lazy / {{% translate … context … %}}) or list real synonyms in SYNONYMS:\n  "
        + "\n  ".join(shadowed))
