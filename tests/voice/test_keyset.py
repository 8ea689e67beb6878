"""Keyset pagination: every row exactly once walking older, the same pages walking back newer,
ties on occurred_at broken by id, bad cursors fall back to the first page, capped counts."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.voice.helpers import make_feedback
from voice import selectors
from voice.keyset import capped_count, cursor_for, keyset_page, parse_cursor
from voice.models import Feedback

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(tenant):
    made = make_feedback(tenant, 11)
    base = datetime(2026, 10, 1, tzinfo=UTC)
    for index, row in enumerate(made):
        # NOTE: pairs of rows share a timestamp, so the id must break the tie.
        Feedback.all_orgs.filter(pk=row.pk).update(occurred_at=base + timedelta(hours=index // 2))
    return made


def _qs(tenant):
    return selectors.feedback_list(organization=tenant.org)


def test_walk_older_then_newer(tenant, rows):
    with tenant.scope():
        expected = list(_qs(tenant).order_by("-occurred_at", "-pk").values_list("pk", flat=True))
        pages, cursor = [], None
        while True:
            page = keyset_page(_qs(tenant), before=cursor, size=4)
            pages.append([r.pk for r in page.rows])
            if not page.older:
                break
            cursor = page.older
        assert [pk for p in pages for pk in p] == expected
        assert [len(p) for p in pages] == [4, 4, 3]
        assert keyset_page(_qs(tenant), size=4).newer is None
        third = keyset_page(_qs(tenant), before=cursor, size=4)
        assert third.newer == cursor_for(third.rows[0])
        back = keyset_page(_qs(tenant), after=third.newer, size=4)
        assert [r.pk for r in back.rows] == pages[1]
        assert back.newer is not None and back.older is not None


def test_newer_past_the_top_gives_the_first_page(tenant, rows):
    with tenant.scope():
        newest = _qs(tenant).order_by("-occurred_at", "-pk").first()
        page = keyset_page(_qs(tenant), after=cursor_for(newest), size=4)
        assert [r.pk for r in page.rows] == [r.pk for r in keyset_page(_qs(tenant), size=4).rows]


@pytest.mark.parametrize("cursor", ["", "abc", "1.2.3", "12", "9" * 50, "-5.0", "1.x"])
def test_bad_cursors_mean_the_first_page(tenant, rows, cursor):
    assert parse_cursor(cursor) is None or parse_cursor(cursor)[1] > 0
    with tenant.scope():
        page = keyset_page(_qs(tenant), before=cursor, size=4)
        assert len(page.rows) == 4


def test_capped_count(tenant, rows):
    with tenant.scope():
        assert capped_count(_qs(tenant), cap=20) == (11, False)
        assert capped_count(_qs(tenant), cap=5) == (5, True)
