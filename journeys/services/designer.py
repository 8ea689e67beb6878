"""The designer's small steps (add, rename, move, delete a stage or a touchpoint).

Each step reads the journey's current structure, changes it and writes it back through
`journey_update(stages=…)`, so one set of rules (key format, unique keys, departments of the
organization, limits) and one deletion path (feedback unlinked, `touchpoint.deleted`
announced) holds for the API and the pages alike. Every step is audited.
"""

from __future__ import annotations

from django.db import transaction

from cem.errors import ApplicationError
from journeys.models import Journey, Stage, Touchpoint
from journeys.services.structure import ERR_UNKNOWN_STAGE, ERR_UNKNOWN_TOUCHPOINT, journey_update


def _structure(journey: Journey) -> list[dict]:
    """The journey as the `stages` argument of journey_update (ids kept, map order).

    Locks the journey first: two steps at once (two managers, a double submit) run one after
    the other, so the second never writes back a structure without the first one's change."""
    Journey.all_orgs.select_for_update().filter(organization_id=journey.organization_id,
                                                pk=journey.pk).first()
    stages = list(Stage.all_orgs.filter(journey=journey).order_by("position", "id"))
    tps: dict[int, list[dict]] = {s.pk: [] for s in stages}
    for tp in Touchpoint.all_orgs.filter(stage__journey=journey).order_by("position", "id"):
        tps[tp.stage_id].append({"id": tp.pk, "key": tp.key, "name": tp.name,
                                 "department": tp.department_id, "channels": list(tp.channels),
                                 "description": tp.description})
    return [{"id": s.pk, "name": s.name, "touchpoints": tps[s.pk]} for s in stages]


def _stage_index(stages: list[dict], stage_id) -> int:
    for i, stage in enumerate(stages):
        if stage["id"] == stage_id:
            return i
    raise ApplicationError(ERR_UNKNOWN_STAGE, field="stage")


def _touchpoint_at(stages: list[dict], touchpoint_id) -> tuple[int, int]:
    for i, stage in enumerate(stages):
        for j, tp in enumerate(stage["touchpoints"]):
            if tp["id"] == touchpoint_id:
                return i, j
    raise ApplicationError(ERR_UNKNOWN_TOUCHPOINT, field="touchpoint")


def _save(journey: Journey, stages: list[dict], actor, change: str) -> Journey:
    return journey_update(journey=journey, stages=stages, actor=actor, change=change)


def _swap(items: list, index: int, offset: int) -> None:
    other = index + offset
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]


@transaction.atomic
def stage_add(*, journey: Journey, name: str, actor=None) -> Journey:
    """Append a stage at the end of the journey."""
    stages = _structure(journey)
    stages.append({"name": name, "touchpoints": []})
    return _save(journey, stages, actor, "stage_added")


@transaction.atomic
def stage_rename(*, journey: Journey, stage_id: int, name: str, actor=None) -> Journey:
    stages = _structure(journey)
    stages[_stage_index(stages, stage_id)]["name"] = name
    return _save(journey, stages, actor, "stage_renamed")


@transaction.atomic
def stage_move(*, journey: Journey, stage_id: int, offset: int, actor=None) -> Journey:
    """Move a stage one place earlier (offset −1) or later (+1); at an end nothing moves."""
    stages = _structure(journey)
    _swap(stages, _stage_index(stages, stage_id), 1 if offset > 0 else -1)
    return _save(journey, stages, actor, "stage_moved")


@transaction.atomic
def stage_delete(*, journey: Journey, stage_id: int, actor=None) -> Journey:
    """Delete a stage and its touchpoints; their feedback stays, unlinked."""
    stages = _structure(journey)
    del stages[_stage_index(stages, stage_id)]
    return _save(journey, stages, actor, "stage_deleted")


@transaction.atomic
def touchpoint_add(*, journey: Journey, stage_id: int, data: dict, actor=None) -> Journey:
    """Append a touchpoint (key, name, department id, channels, description) to a stage."""
    stages = _structure(journey)
    stages[_stage_index(stages, stage_id)]["touchpoints"].append(dict(data))
    return _save(journey, stages, actor, "touchpoint_added")


@transaction.atomic
def touchpoint_update(*, journey: Journey, touchpoint_id: int, data: dict,
                      stage_id: int | None = None, actor=None) -> Journey:
    """Change a touchpoint's fields; with another `stage_id`, move it to the end of that stage."""
    stages = _structure(journey)
    i, j = _touchpoint_at(stages, touchpoint_id)
    tp = {**stages[i]["touchpoints"][j], **data, "id": touchpoint_id}
    if stage_id is not None and stage_id != stages[i]["id"]:
        target = _stage_index(stages, stage_id)
        del stages[i]["touchpoints"][j]
        stages[target]["touchpoints"].append(tp)
    else:
        stages[i]["touchpoints"][j] = tp
    return _save(journey, stages, actor, "touchpoint_changed")


@transaction.atomic
def touchpoint_move(*, journey: Journey, touchpoint_id: int, offset: int, actor=None) -> Journey:
    """Move a touchpoint up or down in its stage; past the stage's edge it moves to the end
    (or start) of the neighbouring stage."""
    stages = _structure(journey)
    i, j = _touchpoint_at(stages, touchpoint_id)
    items = stages[i]["touchpoints"]
    step = 1 if offset > 0 else -1
    if 0 <= j + step < len(items):
        _swap(items, j, step)
    elif 0 <= i + step < len(stages):
        tp = items.pop(j)
        neighbour = stages[i + step]["touchpoints"]
        neighbour.insert(0 if step > 0 else len(neighbour), tp)
    return _save(journey, stages, actor, "touchpoint_moved")


@transaction.atomic
def touchpoint_delete(*, journey: Journey, touchpoint_id: int, actor=None) -> Journey:
    """Delete a touchpoint; its feedback stays (unlinked) and is still counted."""
    stages = _structure(journey)
    i, j = _touchpoint_at(stages, touchpoint_id)
    del stages[i]["touchpoints"][j]
    return _save(journey, stages, actor, "touchpoint_deleted")
