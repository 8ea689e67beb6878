"""Routes of the taxonomy, keywords, topic discovery and re-analysis (pages and API)."""

from urllib.parse import urlencode

from tests.catalogue.route import Route


def _topic(victim):
    return {"topic_id": victim.extra["topic"].pk}


def _suggestion(victim):
    return {"suggestion_id": victim.extra["suggestion"].pk}


def _job(victim):
    return {"job_id": victim.extra["reanalysis_job"].pk}


_TOPIC = {"name": "攻击者的话题", "keywords": ["攻击"]}

ROUTES: dict[str, Route] = {
    "topic-list": Route("page", query=lambda victim: urlencode({"q": "话题"})),
    "topic-create": Route("page", methods=("GET", "POST"), body=lambda victim: _TOPIC),
    "topic-edit": Route("page", methods=("GET", "POST"), kwargs=_topic, body=lambda victim: _TOPIC),
    "topic-delete": Route("page", methods=("GET", "POST"), kwargs=_topic),
    "topic-discover": Route("page", methods=("POST",)),
    "topic-suggestion-accept": Route("page", methods=("POST",), kwargs=_suggestion),
    "topic-suggestion-dismiss": Route("page", methods=("POST",), kwargs=_suggestion),
    "reanalysis-create": Route("page", methods=("POST",)),
    "reanalysis-detail": Route("page", kwargs=_job),
    "reanalysis-status": Route("page", kwargs=_job),
    "api-topics": Route("api", methods=("GET", "POST"), body=lambda victim: _TOPIC),
    "api-topic-detail": Route("api", methods=("GET", "PATCH", "DELETE"), kwargs=_topic,
                              body=lambda victim: {"name": "改名"}),
    "api-topic-discovery": Route("api", methods=("GET", "POST")),
    "api-topic-suggestion-accept": Route("api", methods=("POST",), kwargs=_suggestion,
                                         body=lambda victim: {"name": "攻击者"}),
    "api-topic-suggestion-dismiss": Route("api", methods=("POST",), kwargs=_suggestion),
    "api-keywords": Route("api", methods=("GET", "POST"), query=lambda victim: urlencode({"touchpoint": "delivery"})),
    "api-reanalysis": Route("api", methods=("GET", "POST")),
    "api-reanalysis-detail": Route("api", kwargs=_job),
}
