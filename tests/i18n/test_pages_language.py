"""The pages speak one language: rendered in zh-hans they show no English source string of any
catalogue (nor English phrases outside the catalogues), rendered in en no Chinese UI string.

Every GET page route of tests/catalogue/ is rendered as the tenant's administrator, so other
apps' pages are checked as they land; failures name the page, the text and its part.
"""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from tests.catalogue import ROUTES
from tests.conftest import session_client
from tests.i18n.catalogues import known_translations, untranslated_of_incomplete_parts

pytestmark = pytest.mark.django_db

#: Elements whose content is not UI text (and any element marked translate="no", the HTML way
#: to say "an identifier, keep as is": CSV column names, JSON keys).
SKIPPED_TAGS = {"script", "style", "code", "pre", "textarea", "kbd", "samp", "var"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
             "track", "wbr"}
TEXT_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}
CJK = re.compile(r"[\u3400-\u9fff]")
ENGLISH_WORD = re.compile(r"^[A-Za-z][a-z]+[,.!?:;]?$")
#: English that stays English in the Chinese UI (product names, protocol names, metric acronyms).
ALLOWED_ENGLISH = {"Api Key", "REST API", "OpenAPI", "Swagger UI", "NPS", "CSAT", "CES", "API"}


class _Texts(HTMLParser):
    """Visible text nodes and user-facing attribute values of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skip_tag, self._skip_depth = None, 0

    def handle_starttag(self, tag, attrs):
        if self._skip_tag is not None:
            self._skip_depth += tag == self._skip_tag
            return
        values = dict(attrs)
        if tag in SKIPPED_TAGS or values.get("translate") == "no":
            if tag not in VOID_TAGS:
                self._skip_tag, self._skip_depth = tag, 1
            return
        for name, value in attrs:
            phrase = name.startswith("data-") and value and (" " in value or CJK.search(value))
            if value and (name in TEXT_ATTRIBUTES or phrase):
                self.texts.append(value.strip())

    def handle_endtag(self, tag):
        if tag == self._skip_tag:
            self._skip_depth -= 1
            if not self._skip_depth:
                self._skip_tag = None

    def handle_data(self, data):
        if self._skip_tag is None and data.strip():
            self.texts.append(" ".join(data.split()))


def page_texts(html: str) -> list[str]:
    parser = _Texts()
    parser.feed(html)
    return parser.texts


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def _pattern(msgid: str) -> re.Pattern | None:
    """A msgid as a full-match pattern (placeholders match any text), or None when too little
    of it is literal English to recognize it safely ("%(n)s h")."""
    parts = PLACEHOLDER.split(msgid)
    if len(re.findall(r"[A-Za-z]", "".join(parts))) < 4:
        return None
    return re.compile(".+?".join(re.escape(re.sub(r"\s+", " ", p)) for p in parts))


@pytest.fixture(scope="module")
def catalogues():
    known = known_translations()
    english = [(pattern, msgid, part) for msgid, (_str, part) in known.items()
               if (pattern := _pattern(msgid)) is not None]
    pending = untranslated_of_incomplete_parts()
    chinese = {" ".join(msgstr.split()): (msgid, part) for msgid, (msgstr, part) in known.items()
               if CJK.search(msgstr)}
    return english, chinese, pending


def _pages(tenant):
    """(url, client) for every page worth reading: the catalogue's GET pages as the admin,
    the public pages signed out, and the error pages."""
    admin = session_client(tenant.users["admin"])
    for name, spec in sorted(ROUTES.items()):
        if "GET" not in spec.methods or spec.kind == "api":
            continue
        if spec.kind == "public" and name not in ("login", "no-organization"):
            continue
        url = reverse(name, kwargs=spec.kwargs(tenant))
        if spec.query:
            url += "?" + spec.query(tenant)
        yield url, admin if spec.kind == "page" else None
    yield "/this-page-does-not-exist/", admin
    yield reverse("settings-index"), session_client(tenant.users["viewer"])


def _render(client, url, language):
    from django.test import Client

    client = client or Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    if "text/html" not in response.get("Content-Type", ""):
        return None
    return response.content.decode()


def _english_leftovers(texts, english, user_data, pending) -> list[str]:
    found = []
    for text in texts:
        if text in user_data or text in ALLOWED_ENGLISH or text in pending:
            continue
        hit = next(((msgid, part) for pattern, msgid, part in english if pattern.fullmatch(text)),
                   None)
        if hit:
            found.append(f"{text!r} (msgid of part {hit[1]})")
            continue
        words = [w for w in text.split() if ENGLISH_WORD.match(w)]
        if not CJK.search(text) and len(words) >= 2 and len(words) == len(text.split()):
            found.append(f"{text!r} (English text in no catalogue: wrap and translate it)")
    return found


def test_pages_in_chinese_show_no_english_ui_text(world, catalogues):
    tenant, _other = world
    english, _chinese, pending = catalogues
    user_data = {u.get_username() for u in tenant.users.values()}
    problems = []
    for url, client in _pages(tenant):
        html = _render(client, url, "zh-hans")
        if html is not None:
            problems += [f"{url}: {p}" for p in _english_leftovers(page_texts(html), english,
                                                                   user_data, pending)]
    problems = list(dict.fromkeys(problems))  # once per page and text
    assert not problems, "untranslated strings on zh-hans pages:\n  " + "\n  ".join(problems)


def test_pages_in_english_show_no_chinese_ui_text(world, catalogues):
    tenant, _other = world
    _english, chinese, _pending = catalogues
    problems = []
    for url, client in _pages(tenant):
        html = _render(client, url, "en")
        if html is None:
            continue
        assert 'lang="en"' in html, url
        for text in page_texts(html):
            if text in chinese:
                msgid, part = chinese[text]
                problems.append(f"{url}: {text!r} is the translation of {msgid!r} ({part})")
    problems = list(dict.fromkeys(problems))
    assert not problems, "Chinese UI strings on en pages:\n  " + "\n  ".join(problems)


def test_the_text_extractor_sees_text_and_attributes():
    html = ('<p>Save <b>now</b></p><input placeholder="Your name" value="x"><script>var a="Hi there"'
            '</script><code>Api-Key abc</code><div data-copied="Copied it" data-nav="home"></div>'
            '<table><tr><th translate="no">touchpoint <b>key</b></th><td>触点</td></tr></table>'
            '<input translate="no" title="ignored"><span title="Kept">ok</span>')
    assert page_texts(html) == ["Save", "now", "Your name", "Copied it", "触点", "Kept", "ok"]
