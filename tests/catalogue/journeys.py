"""Routes of the journeys app (API and designer pages), for the isolation harness."""

from tests.catalogue.route import Route


def _journey(victim):
    return {"journey_id": victim.extra["journey"].pk}


_NEW = {"name": "攻击者旅程", "stages": [{"name": "阶段", "touchpoints": [
    {"key": "w-browse", "name": "攻击者触点"}]}]}

ROUTES: dict[str, Route] = {
    "api-journeys": Route("api", methods=("GET", "POST"), body=lambda victim: _NEW),
    "api-journey-detail": Route("api", methods=("GET", "PATCH", "DELETE"), kwargs=_journey,
                                body=lambda victim: {"name": "改名"}),
}
