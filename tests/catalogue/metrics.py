"""Routes of the metrics app (API, emotion curve, journey map), for the isolation harness."""

from tests.catalogue.route import Route


def _victim_filters(victim):
    return f"journey={victim.extra['journey'].pk}&from=2020-01-01"


def _journey(victim):
    return {"journey_id": victim.extra["journey"].pk}


def _metric(metric):
    return lambda victim: f"metric={metric}&by=touchpoint&from=2020-01-01"


ROUTES: dict[str, Route] = {
    "api-metrics-summary": Route("api", query=_victim_filters),
    "api-metrics-timeseries": Route("api", query=_metric("nps")),
    "api-metrics-breakdown": Route("api", query=_metric("nps")),
    "api-metrics-key-drivers": Route("api", query=lambda victim: "from=2020-01-01"),
    "api-journey-emotion-curve": Route("api", kwargs=_journey,
                                       query=lambda victim: "from=2020-01-01"),
    "journey-map": Route("page", kwargs=_journey, query=lambda victim: "period=180"),
}
