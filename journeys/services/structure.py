"""Writes of journeys: create with nested stages and touchpoints, rename, restructure, delete.

The structure of a journey is written as a whole (`stages` = the ordered list of stages, each
with its ordered touchpoints): items with an `id` are kept (renamed, moved, reordered), items
without one are created, and stages or touchpoints left out are deleted. Deleting a
touchpoint never deletes feedback: it is unlinked (SET NULL) and `touchpoint.deleted` is
announced so metrics fold their rollups.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cem import events
from cem.errors import ApplicationError
from cem.models import Department
from cem.services.audit import audit_record
from journeys.models import Journey, Stage, Touchpoint

ERR_NAME = _("Give a name.")
ERR_KEY_FORMAT = _("Use letters, digits, - and _ only (at most 64).")
ERR_KEY_DUPLICATE = _("This key is used twice in the journey.")
ERR_KEY_TAKEN = _("This key is already used by a touchpoint of another journey.")
ERR_UNKNOWN_STAGE = _("Unknown stage of this journey.")
ERR_UNKNOWN_TOUCHPOINT = _("Unknown touchpoint of this journey.")
ERR_UNKNOWN_DEPARTMENT = _("Unknown department.")
ERR_TOO_MANY = _("A journey holds at most {stages} stages and {touchpoints} touchpoints.")
ERR_TOO_LONG = _("Use at most {n} characters.")

#: Audit actions (labels registered in journeys.registry).
JOURNEY_CREATED = "journey.created"
JOURNEY_CHANGED = "journey.changed"
JOURNEY_DELETED = "journey.deleted"

MAX_STAGES = 30
MAX_TOUCHPOINTS = 200
#: names and personas (the model's max_length)
MAX_NAME = 200
_KEY = re.compile(r"^[-a-zA-Z0-9_]{1,64}$")


def _tp_field(i: int, j: int, name: str) -> str:
    return f"stages[{i}].touchpoints[{j}].{name}"


def _validate(journey: Journey, stages: list[dict], departments: dict[int, Department]) -> None:
    """Check the whole structure before any write; errors name the failing field."""
    total = sum(len(stage.get("touchpoints") or []) for stage in stages)
    if len(stages) > MAX_STAGES or total > MAX_TOUCHPOINTS:
        raise ApplicationError(ERR_TOO_MANY.format(stages=MAX_STAGES, touchpoints=MAX_TOUCHPOINTS),
                               field="stages")
    own_stages = set(Stage.all_orgs.filter(journey=journey).values_list("pk", flat=True))
    own_tps = set(Touchpoint.all_orgs.filter(stage__journey=journey).values_list("pk", flat=True))
    taken = set(Touchpoint.all_orgs.filter(organization_id=journey.organization_id)
                .exclude(stage__journey=journey).values_list("key", flat=True))
    seen: set[str] = set()
    for i, stage in enumerate(stages):
        _clean_text(stage.get("name"), field=f"stages[{i}].name", required=True,
                    max_length=MAX_NAME)
        if stage.get("id") is not None and stage["id"] not in own_stages:
            raise ApplicationError(ERR_UNKNOWN_STAGE, field=f"stages[{i}].id")
        for j, tp in enumerate(stage.get("touchpoints") or []):
            key = str(tp.get("key") or "")
            if not _KEY.match(key):
                raise ApplicationError(ERR_KEY_FORMAT, field=_tp_field(i, j, "key"))
            if key in seen:
                raise ApplicationError(ERR_KEY_DUPLICATE, field=_tp_field(i, j, "key"))
            if key in taken:
                raise ApplicationError(ERR_KEY_TAKEN, field=_tp_field(i, j, "key"))
            seen.add(key)
            _clean_text(tp.get("name"), field=_tp_field(i, j, "name"), required=True,
                        max_length=MAX_NAME)
            if tp.get("id") is not None and tp["id"] not in own_tps:
                raise ApplicationError(ERR_UNKNOWN_TOUCHPOINT, field=_tp_field(i, j, "id"))
            if tp.get("department") is not None and tp["department"] not in departments:
                raise ApplicationError(ERR_UNKNOWN_DEPARTMENT, field=_tp_field(i, j, "department"))


def _delete_touchpoints(journey: Journey, ids: list[int]) -> None:
    if ids:
        Touchpoint.all_orgs.filter(organization_id=journey.organization_id, pk__in=ids).delete()
        events.announce(events.TOUCHPOINT_DELETED, organization_id=journey.organization_id,
                        touchpoint_ids=sorted(ids))


def _write_touchpoints(journey, stage: Stage, items: list[dict], existing: dict, departments):
    for j, item in enumerate(items):
        tp = existing.get(item.get("id")) or Touchpoint(organization_id=journey.organization_id)
        tp.stage, tp.position = stage, j
        tp.key, tp.name = item["key"], str(item["name"]).strip()
        tp.department = departments.get(item.get("department"))
        tp.channels = list(item.get("channels") or [])
        tp.description = str(item.get("description") or "").strip()
        tp.save()


def _sync_structure(journey: Journey, stages: list[dict]) -> None:
    departments = {d.pk: d for d in Department.all_orgs.filter(
        organization_id=journey.organization_id)}
    _validate(journey, stages, departments)
    stage_rows = {s.pk: s for s in Stage.all_orgs.filter(journey=journey)}
    tp_rows = {t.pk: t for t in Touchpoint.all_orgs.filter(stage__journey=journey)}
    kept_tps = {tp["id"] for stage in stages for tp in stage.get("touchpoints") or []
                if tp.get("id") is not None}
    _delete_touchpoints(journey, [pk for pk in tp_rows if pk not in kept_tps])
    # NOTE: kept touchpoints may swap keys; park them first so the unique key never clashes.
    for pk in kept_tps:
        Touchpoint.all_orgs.filter(pk=pk).update(key=f"~{pk}")
    kept_stages = set()
    for i, item in enumerate(stages):
        stage = stage_rows.get(item.get("id")) or Stage(organization_id=journey.organization_id,
                                                          journey=journey)
        stage.name, stage.position = str(item["name"]).strip(), i
        stage.save()
        kept_stages.add(stage.pk)
        _write_touchpoints(journey, stage, item.get("touchpoints") or [], tp_rows, departments)
    Stage.all_orgs.filter(journey=journey).exclude(pk__in=kept_stages).delete()


def _clean_text(value: str | None, *, field: str, required: bool = False,
                max_length: int | None = None) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ApplicationError(ERR_NAME, field=field)
    if max_length is not None and len(text) > max_length:
        raise ApplicationError(ERR_TOO_LONG.format(n=max_length), field=field)
    return text


@transaction.atomic
def journey_create(*, organization, name: str, description: str = "", persona: str = "",
                   stages: list[dict] | None = None, actor=None) -> Journey:
    """Create a journey with its ordered stages and touchpoints (keys unique per organization)."""
    journey = Journey.all_orgs.create(
        organization=organization, name=_clean_text(name, field="name", required=True,
                                                     max_length=MAX_NAME),
        description=_clean_text(description, field="description"),
        persona=_clean_text(persona, field="persona", max_length=MAX_NAME))
    _sync_structure(journey, list(stages or []))
    audit_record(organization=organization, actor=actor, action=JOURNEY_CREATED, target=journey)
    return journey


@transaction.atomic
def journey_update(*, journey: Journey, name: str | None = None, description: str | None = None,
                   persona: str | None = None, stages: list[dict] | None = None,
                   actor=None, change: str = "") -> Journey:
    """Rename or describe a journey; with `stages`, rewrite its whole structure (see module).
    `change` names the designer step in the audit record."""
    journey = Journey.all_orgs.select_for_update().get(pk=journey.pk)
    if name is not None:
        journey.name = _clean_text(name, field="name", required=True, max_length=MAX_NAME)
    if description is not None:
        journey.description = _clean_text(description, field="description")
    if persona is not None:
        journey.persona = _clean_text(persona, field="persona", max_length=MAX_NAME)
    journey.save()
    if stages is not None:
        _sync_structure(journey, list(stages))
    audit_record(organization=journey.organization, actor=actor, action=JOURNEY_CHANGED,
                 target=journey, details={"change": change or "journey"})
    return journey


@transaction.atomic
def journey_delete(*, journey: Journey, actor=None) -> None:
    """Delete a journey, its stages and touchpoints; their feedback stays, unlinked."""
    ids = list(Touchpoint.all_orgs.filter(stage__journey=journey).values_list("pk", flat=True))
    _delete_touchpoints(journey, ids)
    audit_record(organization=journey.organization, actor=actor, action=JOURNEY_DELETED,
                 target=journey)
    journey.delete()
