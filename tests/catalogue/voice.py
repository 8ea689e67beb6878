"""Routes of the voice partner API, for the isolation harness."""

from tests.catalogue.route import Route

_ITEM = {"channel": "app", "text": "攻击者的反馈", "nps": 5}

ROUTES: dict[str, Route] = {
    "api-feedback": Route("api", methods=("GET", "POST"), body=lambda victim: _ITEM),
    "api-feedback-batch": Route("api", methods=("POST",), body=lambda victim: {"items": [_ITEM]}),
    "api-feedback-detail": Route(
        "api", kwargs=lambda victim: {"feedback_id": victim.extra["feedback"].pk}),
    "api-customers": Route("api", methods=("POST",),
                           body=lambda victim: {"external_id": "attacker-c", "segment": "x"}),
    "api-interactions": Route("api", methods=("POST",), body=lambda victim: {
        "external_id": "attacker-i", "channel": "app", "opened_at": "2026-11-01T10:00:00"}),
    "api-interactions-batch": Route("api", methods=("POST",), body=lambda victim: {"items": [{
        "external_id": "attacker-j", "channel": "app", "opened_at": "2026-11-01T10:00:00"}]}),
    "api-survey-links": Route("api", methods=("GET", "POST"), body=lambda victim: {
        "touchpoint": "delivery", "question": "nps", "title": "攻击者的问卷"}),
    "api-survey-link-detail": Route("api", kwargs=lambda victim: {
        "link_id": victim.extra["survey_link"].pk}),
    "api-survey-invitations": Route("api", methods=("POST",), kwargs=lambda victim: {
        "link_id": victim.extra["survey_link"].pk},
        body=lambda victim: {"customer": {"external_id": "attacker-c"}}),
}
