"""Writes of journeys: the whole structure at once (`structure`) and the designer's small
steps (`designer`), each audited."""

from journeys.services.designer import (
    stage_add,
    stage_delete,
    stage_move,
    stage_rename,
    touchpoint_add,
    touchpoint_delete,
    touchpoint_move,
    touchpoint_update,
)
from journeys.services.structure import (
    ERR_KEY_DUPLICATE,
    ERR_KEY_FORMAT,
    ERR_KEY_TAKEN,
    ERR_NAME,
    ERR_TOO_MANY,
    ERR_UNKNOWN_DEPARTMENT,
    ERR_UNKNOWN_STAGE,
    ERR_UNKNOWN_TOUCHPOINT,
    MAX_STAGES,
    MAX_TOUCHPOINTS,
    journey_create,
    journey_delete,
    journey_update,
)

__all__ = [
    "ERR_KEY_DUPLICATE", "ERR_KEY_FORMAT", "ERR_KEY_TAKEN", "ERR_NAME", "ERR_TOO_MANY",
    "ERR_UNKNOWN_DEPARTMENT", "ERR_UNKNOWN_STAGE", "ERR_UNKNOWN_TOUCHPOINT", "MAX_STAGES",
    "MAX_TOUCHPOINTS", "journey_create", "journey_delete", "journey_update", "stage_add",
    "stage_delete", "stage_move", "stage_rename", "touchpoint_add", "touchpoint_delete",
    "touchpoint_move", "touchpoint_update",
]
