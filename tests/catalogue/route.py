"""How the isolation harness calls one route with another tenant's credentials.

`kwargs(victim)` builds path arguments from the victim tenant's objects (`victim.extra[...]`
holds what tests/world/<app>.py built), so the attacker asks for the victim's ids;
`body(victim)` is the JSON body for writes; `query(victim)` a query string for GETs.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Route:
    kind: str  # "page" (session), "api" (key + session), "public" (no tenant data)
    methods: tuple[str, ...] = ("GET",)
    kwargs: Callable = field(default=lambda victim: {})
    body: Callable | None = None
    #: the body carries victim ids, so the write must be refused (404) for the attacker
    body_has_victim_ids: bool = False
    query: Callable | None = None
    reason: str = ""
