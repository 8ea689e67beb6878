"""A CX manager finds a feedback in the explorer, corrects its sentiment on its page, and sees
the corrected label, the "corrected by hand" mark and the correction in its history."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.helpers import goto, login, query, shot

pytestmark = pytest.mark.browser

# NOTE: sarcasm the lexicon reads as praise: the kind of item a manager corrects.
TEXT = "真是太棒了，快递又一次把我的包裹弄丢了，E2E核对专用"
EXTERNAL_ID = "e2e-correction-1"
LABELS = {"positive": "正面", "neutral": "中性", "negative": "负面"}


def _feedback() -> dict:
    """One analyzed feedback of the demo tenant, made through the services (idempotent). It
    happened long ago so the dashboard's figures for recent periods do not move."""
    from cem.demo import DEMO_SLUG
    from cem.models import Organization
    from cem.tenancy import org_scope
    from voice.models import Feedback
    from voice.services.analysis import feedback_analyze_batch
    from voice.services.ingest import feedback_ingest_many

    org = Organization.objects.get(slug=DEMO_SLUG)
    with org_scope(org):
        [result] = feedback_ingest_many(organization=org, source="api", items=[{
            "external_id": EXTERNAL_ID, "channel": "ecommerce_review", "text": TEXT, "metadata": {},
            "nps": None, "csat": None, "ces": None, "customer": None,
            "occurred_at": timezone.now() - timedelta(days=400)}])
        feedback_analyze_batch(organization_id=org.pk, feedback_ids=[result.feedback.pk])
        row = Feedback.all_orgs.get(pk=result.feedback.pk)
        return {"id": row.pk, "label": row.sentiment_label, "corrected": row.sentiment_corrected}


def _stored(feedback_id: int) -> dict:
    from voice.models import Feedback, FeedbackCorrection

    row = Feedback.all_orgs.get(pk=feedback_id)
    corrections = list(FeedbackCorrection.all_orgs.filter(feedback=row)
                       .values_list("previous_label", "label", "actor__username"))
    return {"label": row.sentiment_label, "corrected": row.sentiment_corrected,
            "corrections": corrections}


def test_manager_corrects_a_feedbacks_sentiment_and_sees_it_in_the_history(page):
    feedback = query(_feedback)
    assert feedback["label"] in LABELS and not feedback["corrected"]
    target = "negative" if feedback["label"] != "negative" else "neutral"

    login(page, "manager")
    with page.expect_navigation():
        page.click('.mainnav a[data-nav="feedback-list"]')
    page.fill(".voice-filters input[name=q]", "E2E核对专用")
    with page.expect_navigation():
        page.click(".voice-filters button[type=submit]")
    row = page.locator(".feedback-table tbody tr", has_text="E2E核对专用")
    assert row.count() == 1 and LABELS[feedback["label"]] in row.inner_text()
    with page.expect_navigation():
        row.locator(".fb-text a").click()
    assert page.url.endswith(f"/feedback/{feedback['id']}/")
    assert "尚无修正。" in page.inner_text("main")

    page.select_option("#correct select[name=label]", target)
    with page.expect_navigation():
        page.click("#correct button[type=submit]")
    assert "修正已保存" in page.inner_text(".messages")
    head = page.inner_text(".page-head")
    assert LABELS[target] in head and "✎" in head
    analysis = page.locator("section.card", has_text="已人工修正")
    assert analysis.count() == 1 and LABELS[target] in analysis.locator("table.kv").inner_text()
    history = page.locator("section.card", has=page.locator("h2", has_text="修正记录"))
    entry = history.locator("tbody tr")
    assert entry.count() == 1
    text = entry.inner_text()
    assert "manager" in text and f"{LABELS[feedback['label']]} → {LABELS[target]}" in text
    shot(page, "feedback-corrected")

    assert query(lambda: _stored(feedback["id"])) == {
        "label": target, "corrected": True,
        "corrections": [(feedback["label"], target, "manager")]}

    # the explorer shows the corrected label too, marked as corrected by hand
    goto(page, "/feedback/?q=E2E核对专用")
    listed = page.locator(".feedback-table tbody tr", has_text="E2E核对专用")
    assert LABELS[target] in listed.inner_text() and "✎" in listed.inner_text()


@pytest.mark.parametrize("username", ["viewer", "logistics"])
def test_only_managers_correct(page, guard, username):
    """Viewers read every feedback, members the feedback quoted on their department's tickets;
    neither gets the correction form, and a forged correction is refused."""
    guard.expect_status(403)
    feedback = query(_feedback) if username == "viewer" else query(_quoted_for_logistics)
    before = query(lambda: _stored(feedback["id"]))
    login(page, username)
    goto(page, f"/feedback/{feedback['id']}/")
    assert page.locator("#correct").count() == 0
    assert "修正记录" in page.inner_text("main")
    token = page.evaluate("document.cookie.match(/csrftoken=([^;]+)/)[1]")
    forged = page.request.post(f"/feedback/{feedback['id']}/correct/", form={"label": "positive"},
                               headers={"X-CSRFToken": token})
    assert forged.status == 403
    assert query(lambda: _stored(feedback["id"])) == before


def _quoted_for_logistics() -> dict:
    """A feedback quoted as evidence on a ticket of 物流部 (the demo has such tickets)."""
    from improvement.models import TicketEvidence

    evidence = (TicketEvidence.all_orgs.filter(organization__slug="demo", ticket__department__name="物流部")
                .order_by("pk").first())
    return {"id": evidence.feedback_id}
