"""Routes of the journeys app (API and designer pages), for the isolation harness."""

from tests.catalogue.route import Route


def _journey(victim):
    return {"journey_id": victim.extra["journey"].pk}


def _touchpoint(victim):
    from journeys.models import Touchpoint

    tp = Touchpoint.all_orgs.filter(stage__journey=victim.extra["journey"]).order_by("id").first()
    return {"journey_id": victim.extra["journey"].pk, "touchpoint_id": tp.pk}


def _stage_step(victim):
    stage = victim.extra["journey"].stages.order_by("id").first()
    return {"op": "stage-rename", "stage": stage.pk, "name": "攻击者改名"}


_NEW = {"name": "攻击者旅程", "stages": [{"name": "阶段", "touchpoints": [
    {"key": "w-browse", "name": "攻击者触点"}]}]}

ROUTES: dict[str, Route] = {
    "api-journeys": Route("api", methods=("GET", "POST"), body=lambda victim: _NEW),
    "api-journey-detail": Route("api", methods=("GET", "PATCH", "DELETE"), kwargs=_journey,
                                body=lambda victim: {"name": "改名"}),
    # designer pages (managers); the map page is in tests/catalogue/metrics.py
    "journey-list": Route("page"),
    "journey-create": Route("page", methods=("GET", "POST"),
                            body=lambda victim: {"name": "攻击者旅程"}),
    "journey-edit": Route("page", methods=("GET", "POST"), kwargs=_journey,
                          body=lambda victim: {"name": "改名"}),
    "journey-structure": Route("page", methods=("POST",), kwargs=_journey, body=_stage_step),
    "journey-delete": Route("page", methods=("GET", "POST"), kwargs=_journey),
    "journey-touchpoint-edit": Route("page", methods=("GET", "POST"), kwargs=_touchpoint,
                                     body=lambda victim: {"name": "改名", "key": "w-x"}),
    "journey-touchpoint-delete": Route("page", methods=("GET", "POST"), kwargs=_touchpoint),
}
