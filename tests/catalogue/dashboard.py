"""Routes of the dashboard app, for the isolation harness."""

from tests.catalogue.route import Route


def _victim_filters(victim) -> str:
    """The attacker asks for the victim's journey, touchpoint and segment: ignored, no leak."""
    touchpoint = victim.extra["touchpoint"]
    return (f"journey={touchpoint.stage.journey_id}&touchpoint={touchpoint.key}"
            f"&segment=会员&period=365d")


ROUTES: dict[str, Route] = {
    "home": Route("page", query=_victim_filters),
}
