"""Partner API reads: list filters, cursor pagination, detail with analysis, query counts."""

import pytest
from django.urls import reverse
from django.utils import timezone

from voice.models import Feedback, FeedbackTopic, Topic
from voice.services.ingest import feedback_ingest_many
from voice.validation import feedback_item_clean

pytestmark = pytest.mark.django_db


def ingest(tenant, touchpoint, n, **overrides):
    items = []
    for i in range(n):
        raw = {"channel": "app", "text": f"第{i}条：送货太慢了", "nps": i % 11,
               "touchpoint": "delivery", "customer": {"external_id": f"C-{i % 4}"},
               "occurred_at": f"2026-10-0{1 + i % 9}T12:00:00+08:00", **overrides}
        items.append(feedback_item_clean(organization=tenant.org, raw=raw,
                                         touchpoints={"delivery": touchpoint}))
    with tenant.scope():
        results = feedback_ingest_many(organization=tenant.org, items=items, source="api")
    return [r.feedback for r in results]


def analyze(tenant, feedback, label, topic_name):
    topic, _ = Topic.all_orgs.get_or_create(organization=tenant.org, name=topic_name)
    Feedback.all_orgs.filter(pk=feedback.pk).update(
        status="analyzed", sentiment_label=label, sentiment_score=-0.8, analyzed_at=timezone.now())
    FeedbackTopic.all_orgs.create(organization=tenant.org, feedback=feedback, topic=topic,
                                  polarity="pain", clause="送货太慢了")


def test_filters(tenant, touchpoint, writer):
    rows = ingest(tenant, touchpoint, 9)
    analyze(tenant, rows[0], "negative", "物流配送")
    url = reverse("api-feedback")

    def ids(**params):
        return {item["id"] for item in writer.get(url, params).json()["results"]}

    assert len(ids()) == 9
    assert ids(sentiment="negative") == {rows[0].pk}
    assert ids(topic="物流配送") == {rows[0].pk}
    assert ids(status="pending") == {r.pk for r in rows[1:]}
    assert ids(customer="C-1") == {rows[1].pk, rows[5].pk}
    assert ids(**{"from": "2026-10-02", "to": "2026-10-04"}) == {rows[1].pk, rows[2].pk}
    assert ids(q="第3条") == {rows[3].pk}
    assert ids(touchpoint="delivery", channel="web") == set()


@pytest.mark.parametrize("param,value", [("channel", "fax"), ("status", "done"),
                                         ("sentiment", "angry"), ("from", "not-a-date")])
def test_bad_filters_are_400_naming_the_parameter(writer, param, value):
    response = writer.get(reverse("api-feedback"), {param: value})
    assert response.status_code == 400 and param in response.json()["errors"]


def test_cursor_pagination_walks_every_row_once(tenant, touchpoint, writer):
    ingest(tenant, touchpoint, 7)
    seen, url = [], reverse("api-feedback") + "?page_size=3"
    while url:
        page = writer.get(url).json()
        seen += [item["id"] for item in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 7


def test_detail_shows_the_analysis(tenant, touchpoint, writer):
    row = ingest(tenant, touchpoint, 1)[0]
    analyze(tenant, row, "negative", "物流配送")
    body = writer.get(reverse("api-feedback-detail", kwargs={"feedback_id": row.pk})).json()
    assert body["status"] == "analyzed"
    assert body["sentiment"] == {"label": "negative", "score": -0.8}
    assert body["topics"] == [{"name": "物流配送", "polarity": "pain"}]


def test_unknown_id_is_404(writer):
    response = writer.get(reverse("api-feedback-detail", kwargs={"feedback_id": 999999}))
    assert response.status_code == 404 and response.json()["detail"] == "Not found."


def test_list_query_count_is_constant(tenant, touchpoint, writer, django_assert_max_num_queries):
    ingest(tenant, touchpoint, 1)
    with django_assert_max_num_queries(8) as one:
        writer.get(reverse("api-feedback"))
    rows = ingest(tenant, touchpoint, 19, channel="web")
    for row in rows[:5]:
        analyze(tenant, row, "negative", "物流配送")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(writer.get(reverse("api-feedback")).json()["results"]) == 20


def test_read_scope_is_needed(api_client):
    assert api_client(scopes=["feedback:write"]).get(reverse("api-feedback")).status_code == 403
