"""The `logistics` department member works a ticket of 物流部 to resolved: finds it on the
department board, claims it (work starts), comments, resolves it with a note, and sees it
resolved with its whole history; the member cannot verify their own work."""

import pytest

from tests.e2e.helpers import goto, login, query, shot

pytestmark = pytest.mark.browser

TITLE = "E2E 华东仓包裹延误三天未派送"
COMMENT = "已联系承运商，今天补发"
NOTE = "补发包裹已签收，客户确认收货"


def _ticket() -> dict:
    """A ticket of 物流部 opened by the CX manager, quoting one delivery complaint."""
    from cem.models import Department, Membership
    from cem.tenancy import org_scope
    from improvement.access import Actor
    from improvement.models import Priority, Ticket
    from improvement.services.tickets import ticket_create
    from voice.models import Feedback

    manager = Membership.all_orgs.select_related("organization", "user").get(
        organization__slug="demo", user__username="manager")
    org = manager.organization
    with org_scope(org):
        existing = Ticket.objects.filter(organization=org, title=TITLE).first()
        quote = (Feedback.objects.filter(organization=org, text__contains="快递", sentiment_label="negative")
                 .order_by("pk").first())
        ticket = existing or ticket_create(
            organization=org, actor=Actor.from_membership(manager), title=TITLE,
            description="客户反馈包裹三天未派送，请物流部跟进。", priority=Priority.HIGH,
            department=Department.objects.get(organization=org, name="物流部"),
            feedback_ids=[quote.pk])
        return {"id": ticket.pk, "quote": quote.text}


def _stored(ticket_id: int) -> dict:
    from improvement.models import Ticket, TicketEvent

    ticket = Ticket.all_orgs.select_related("assignee", "resolved_by").get(pk=ticket_id)
    events = list(TicketEvent.all_orgs.filter(ticket=ticket).order_by("created_at", "id")
                  .values_list("kind", "from_status", "to_status", "actor__username", "comment"))
    return {"status": ticket.status, "assignee": ticket.assignee.username,
            "resolved_by": ticket.resolved_by.username, "responded": ticket.first_response_at is not None,
            "resolved": ticket.resolved_at is not None, "events": events}


def test_logistics_member_works_a_ticket_to_resolved(page):
    ticket = query(_ticket)
    login(page, "logistics")
    with page.expect_navigation():
        page.click('.mainnav a[data-nav="ticket-board"]')
    assert page.inner_text("main h1") == "物流部的工单"
    card = page.locator(".board-column.status-open a.ticket-card", has_text=TITLE)
    assert card.count() == 1 and "未分派" in card.inner_text()
    with page.expect_navigation():
        card.click()
    assert page.url.endswith(f"/tickets/{ticket['id']}/")
    assert page.inner_text(".page-head .badge >> nth=0") == "待处理"
    assert ticket["quote"][:20] in page.inner_text("blockquote.quote")  # the evidence is readable

    with page.expect_navigation():
        page.click(".ticket-side button[name=assignee][value=me]")  # claim: work starts
    assert "分派已变更。" in page.inner_text(".messages")
    assert page.inner_text(".page-head .badge >> nth=0") == "处理中"
    assert page.locator(".ticket-side dl.facts dd >> nth=1").inner_text() == "logistics"

    page.fill("form[action$='/comment/'] textarea[name=text]", COMMENT)
    with page.expect_navigation():
        page.click("form[action$='/comment/'] button")
    assert "评论已添加。" in page.inner_text(".messages")

    page.fill("form[action$='/transition/'] textarea[name=comment]", NOTE)
    with page.expect_navigation():
        page.click("form[action$='/transition/'] button[value=resolved]")
    assert "状态已变更。" in page.inner_text(".messages")
    assert page.inner_text(".page-head .badge >> nth=0") == "已解决"
    # verifying or reopening is the CX manager's: the member has no move left
    assert page.locator("form[action$='/transition/']").count() == 0
    timeline = page.locator("ol.timeline li")
    kinds = timeline.evaluate_all("items => items.map(li => li.className.replace('event kind-', ''))")
    assert kinds == ["created", "assigned", "status", "comment", "status"]
    assert "从“待处理”变为“处理中”" in timeline.nth(2).inner_text()
    assert COMMENT in timeline.nth(3).inner_text()
    last = timeline.nth(4).inner_text()
    assert "从“处理中”变为“已解决”" in last and NOTE in last and "logistics" in last
    shot(page, "ticket-resolved-by-member")

    stored = query(lambda: _stored(ticket["id"]))
    assert stored["status"] == "resolved" and stored["resolved"] and stored["responded"]
    assert stored["assignee"] == stored["resolved_by"] == "logistics"
    assert stored["events"] == [
        ("created", "", "open", "manager", ""),
        ("assigned", "", "", "logistics", ""),
        ("status", "open", "in_progress", "logistics", ""),
        ("comment", "", "", "logistics", COMMENT),
        ("status", "in_progress", "resolved", "logistics", NOTE)]

    goto(page, "/tickets/")  # on the board, the ticket now sits with the resolved ones
    assert page.locator(".board-column.status-resolved a.ticket-card", has_text=TITLE).count() == 1
    assert page.locator(".board-column.status-open a.ticket-card", has_text=TITLE).count() == 0


VERIFY_TITLE = "E2E 物流配送差评增多：已更换承运商"


def _resolved_ticket() -> dict:
    """A 物流配送 ticket the logistics member resolved, with its effect check computed."""
    from cem.models import Membership
    from cem.tenancy import org_scope
    from improvement.access import Actor
    from improvement.models import Ticket
    from improvement.services.effect import ticket_effect_refresh
    from improvement.services.tickets import ticket_claim, ticket_create, ticket_transition
    from voice.models import Topic

    members = {m.user.username: m for m in Membership.all_orgs.select_related("organization", "user", "department")
               .filter(organization__slug="demo", user__username__in=["manager", "logistics"])}
    org = members["manager"].organization
    with org_scope(org):
        ticket = Ticket.objects.filter(organization=org, title=VERIFY_TITLE).first()
        if ticket is None:
            ticket = ticket_create(organization=org, actor=Actor.from_membership(members["manager"]),
                                   title=VERIFY_TITLE, department=members["logistics"].department,
                                   topic=Topic.objects.get(organization=org, name="物流配送"))
            worker = Actor.from_membership(members["logistics"])
            ticket_claim(ticket=ticket, actor=worker)
            ticket_transition(ticket=ticket, actor=worker, to_status="resolved", comment="已更换承运商")
        effect = ticket_effect_refresh(organization_id=org.pk, ticket_id=ticket.pk) or {}
        return {"id": ticket.pk, "verdict": effect.get("verdict"), "metric": effect.get("metric")}


def _verified(ticket_id: int) -> dict:
    from improvement.models import Ticket, TicketEvent

    ticket = Ticket.all_orgs.get(pk=ticket_id)
    last = TicketEvent.all_orgs.filter(ticket=ticket).order_by("-created_at", "-id").first()
    return {"status": ticket.status, "verified": ticket.verified_at is not None,
            "last": (last.kind, last.to_status, last.actor.username, last.comment)}


def test_manager_reads_the_effect_check_and_verifies_the_resolved_ticket(page):
    from django.utils import translation

    from improvement.templatetags.improvement_tags import verdict_label

    ticket = query(_resolved_ticket)
    assert ticket["metric"] == "negative_share" and ticket["verdict"]
    login(page, "manager")
    goto(page, "/tickets/?view=list&status=resolved")
    with page.expect_navigation():
        page.click(f"table.list a:text-is('{VERIFY_TITLE}')")
    assert page.inner_text(".page-head .badge >> nth=0") == "已解决"
    with translation.override("zh-hans"):
        expected = verdict_label(ticket["verdict"])
    assert page.inner_text(".card.effect .verdict") == expected  # the verdict, in words
    assert page.locator(".card.effect table.effect-table").count() == 1
    moves = page.eval_on_selector_all("form[action$='/transition/'] button",
                                      "buttons => buttons.map(b => b.value)")
    assert moves == ["verified", "reopened"]
    page.fill("form[action$='/transition/'] textarea[name=comment]", "已复核承运商更换，验收通过")
    with page.expect_navigation():
        page.click("form[action$='/transition/'] button[value=verified]")
    assert page.inner_text(".page-head .badge >> nth=0") == "已验收"
    assert "已复核承运商更换，验收通过" in page.locator("ol.timeline li").last.inner_text()
    shot(page, "ticket-verified-by-manager")
    assert query(lambda: _verified(ticket["id"])) == {
        "status": "verified", "verified": True,
        "last": ("status", "verified", "manager", "已复核承运商更换，验收通过")}


def test_roles_hold_on_the_ticket_pages(page, guard):
    """The member's board holds only 物流部's tickets; the viewer reads a ticket with no way to
    change it, and a forged action is refused."""
    ticket = query(_ticket)
    login(page, "logistics")
    goto(page, "/tickets/?view=list")
    departments = set(page.eval_on_selector_all("table.list tbody tr td:nth-child(5)",
                                                "cells => cells.map(c => c.textContent.trim())"))
    assert departments == {"物流部"}
    page.context.clear_cookies()

    guard.expect_status(403)
    login(page, "viewer")
    goto(page, f"/tickets/{ticket['id']}/")
    assert TITLE in page.inner_text("main h1")
    assert page.locator("main form[method=post]").count() == 0  # no move, claim, comment …
    assert page.locator(".page-head a.button.primary").count() == 0
    goto(page, "/tickets/")
    assert page.locator("a[href$='/tickets/new/']").count() == 0
    token = page.evaluate("document.cookie.match(/csrftoken=([^;]+)/)[1]")
    forged = page.request.post(f"/tickets/{ticket['id']}/comment/", form={"text": "试试"},
                               headers={"X-CSRFToken": token})
    assert forged.status == 403
    assert query(lambda: _stored_comments(ticket["id"])) == 0
    shot(page, "ticket-viewer-read-only")


def _stored_comments(ticket_id: int) -> int:
    from improvement.models import TicketEvent

    return TicketEvent.all_orgs.filter(ticket_id=ticket_id, kind="comment", comment="试试").count()
