"""Services keeping the cells exact: recompute dirty days, rebuild an organization.

Each recompute runs in one transaction: it first deletes the day markers it can see, then
the cells of those days, then inserts the raw GROUP BY of those days (the very aggregates of
the raw path, `metrics.counts.aggregates`). A marker committed by a concurrent write after
the delete started is not seen, survives, and the day is recomputed again: no change is ever
lost, and re-running is harmless (idempotent).
"""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from cem.models import Organization
from cem.tenancy import org_scope
from metrics.counts import ALIAS, aggregates
from metrics.durations import DERIVED as DERIVED_DURATIONS
from metrics.durations import LEVELS as DURATION_LEVELS
from metrics.durations import VALUE_FIELDS, group_rows, pack
from metrics.filters import ResolvedFilters
from metrics.interactions import interaction_times, organization_calendar
from metrics.models import DirtyDay, InteractionDayCell, RollupState
from metrics.periods import local_midnight
from metrics.raw import base_queryset, dimension_expressions
from metrics.rollups.levels import BUILD_ORDER, COLUMNS, LEVELS, Level, rollups_supported

#: Days recomputed per transaction (a month of the biggest organization: a few seconds).
DAYS_PER_RUN = 31
#: Seconds a task recomputes before it re-enqueues itself (under the soft time limit).
TASK_BUDGET_SECONDS = 30


def day_ranges(days, tz) -> list[tuple[datetime, datetime]]:
    """Consecutive local days merged into half-open datetime ranges."""
    out: list[list] = []
    for day in sorted(set(days)):
        if out and out[-1][1] == day:
            out[-1][1] = day + timedelta(days=1)
        else:
            out.append([day, day + timedelta(days=1)])
    return [(local_midnight(a, tz), local_midnight(b, tz)) for a, b in out]


def _insert_cells(level: Level, organization: Organization, ranges, days: list[date]):
    if level.source is not None:
        _sum_cells(level, organization, days)
        return
    qs = base_queryset(organization=organization, ranges=ranges, filters=ResolvedFilters(),
                       by_topic=level.by_topic)
    group = ("day", *level.dims)
    dims = dimension_expressions(group, by_topic=level.by_topic, tz=organization.tzinfo)
    aggs = aggregates("feedback__" if level.by_topic else "",
                      polarity="polarity" if level.by_topic else None)
    aggs = {ALIAS + name: aggs[ALIAS + name] for name in level.fields}
    select_sql, params = qs.values(**dims).annotate(**aggs).query.sql_with_params()
    columns = [COLUMNS[name] for name in group] + list(level.fields)
    selected = [f"g_{name}" for name in group] + [ALIAS + name for name in level.fields]
    # NOTE: identifiers are our own constants; every value is a parameter.
    sql = (f"INSERT INTO {level.table} (organization_id, {', '.join(columns)}) "  # noqa: S608
           f"SELECT %s, {', '.join(selected)} FROM ({select_sql}) AS raw")
    sql += " WHERE raw.g_day = ANY(%s)"
    params = (organization.pk, *params, list(days))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _sum_cells(level: Level, organization: Organization, days: list[date]) -> None:
    """A coarser level as the sums of the full cells of the same days (integers: exact)."""
    keys = ["day", *(COLUMNS[name] for name in level.dims)]
    sums = ", ".join(f"SUM({name})" for name in level.fields)
    # NOTE: identifiers are our own constants; every value is a parameter.
    sql = (f"INSERT INTO {level.table} (organization_id, {', '.join(keys)}, "  # noqa: S608
           f"{', '.join(level.fields)}) SELECT organization_id, {', '.join(keys)}, {sums} "
           f"FROM {level.source._meta.db_table} WHERE organization_id = %s AND day = ANY(%s) "
           f"GROUP BY organization_id, {', '.join(keys)}")
    with connection.cursor() as cursor:
        cursor.execute(sql, (organization.pk, list(days)))


def _rewrite(organization: Organization, days: list[date]) -> None:
    ranges = day_ranges(days, organization.tzinfo)
    with org_scope(organization):
        _rewrite_levels(organization, ranges, days)


def _rewrite_levels(organization: Organization, ranges, days: list[date]) -> None:
    for level in BUILD_ORDER:
        cells = level.model.all_orgs.filter(organization=organization, day__in=days)
        cells._raw_delete(cells.db)
        _insert_cells(level, organization, ranges, days)
    _rewrite_interactions(organization, ranges, days)


def _rewrite_interactions(organization: Organization, ranges, days: list[date]) -> None:
    """Interaction cells: the duration values, computed by the raw path's own functions."""
    calendar = organization_calendar(organization)
    rows = [row for start, end in ranges for row in interaction_times(
        organization=organization, start=start, end=end, filters=ResolvedFilters())]
    for model, dims in DURATION_LEVELS:
        cells = model.all_orgs.filter(organization=organization, day__in=days)
        cells._raw_delete(cells.db)
        if model in DERIVED_DURATIONS:
            continue
        group = ("day", *dims)
        grouped = group_rows(rows, group, organization.tzinfo, calendar)
        model.all_orgs.bulk_create(
            (model(organization=organization,
                   **{COLUMNS[name]: value for name, value in zip(group, key, strict=True)},
                   **{name: pack(getattr(values, name)) for name in VALUE_FIELDS})
             for key, values in grouped.items()), batch_size=2000)
    for model, dims in DURATION_LEVELS:
        if model in DERIVED_DURATIONS:
            _concat_values(model, dims, organization, days)


def _concat_values(model, dims, organization: Organization, days: list[date]) -> None:
    """A one-dimension interaction level: the full cells' packed values, concatenated."""
    keys = ["day", *(COLUMNS[name] for name in dims)]
    values = ", ".join(f"string_agg({name}, ''::bytea)" for name in VALUE_FIELDS)
    # NOTE: identifiers are our own constants; every value is a parameter.
    sql = (f"INSERT INTO {model._meta.db_table} (organization_id, {', '.join(keys)}, "  # noqa: S608
           f"{', '.join(VALUE_FIELDS)}) SELECT organization_id, {', '.join(keys)}, {values} "
           f"FROM {InteractionDayCell._meta.db_table} WHERE organization_id = %s "
           f"AND day = ANY(%s) GROUP BY organization_id, {', '.join(keys)}")
    with connection.cursor() as cursor:
        cursor.execute(sql, (organization.pk, list(days)))


def _state_matches(organization: Organization) -> bool:
    state = (RollupState.all_orgs.filter(organization=organization)
             .values_list("timezone", "business_hours").first())
    return state == (organization.timezone, organization.business_hours)


def _data_days(organization: Organization) -> list[date]:
    """Every local day from the first to the last feedback or interaction of the organization."""
    from django.db.models import Max, Min

    from voice.models import Feedback, Interaction

    tz = organization.tzinfo
    bounds = [Feedback.all_orgs.filter(organization=organization).aggregate(
                  a=Min("occurred_at"), b=Max("occurred_at")),
              Interaction.all_orgs.filter(organization=organization).aggregate(
                  a=Min("opened_at"), b=Max("opened_at"))]
    moments = [m for bound in bounds for m in bound.values() if m is not None]
    if not moments:
        return []
    first, last = min(moments).astimezone(tz).date(), max(moments).astimezone(tz).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def rollup_reset(*, organization_id: int) -> int:
    """Start a rebuild: drop the organization's cells, mark every day of its data dirty and
    record the time zone and calendar. Reads stay exact (dirty days are read raw) while the
    recompute catches up in small transactions. Returns the number of days marked."""
    organization = Organization.objects.get(pk=organization_id)
    with transaction.atomic():
        for model in (*(level.model for level in LEVELS),
                      *(model for model, _dims in DURATION_LEVELS)):
            cells = model.all_orgs.filter(organization=organization)
            cells._raw_delete(cells.db)
        days = _data_days(organization)
        DirtyDay.all_orgs.bulk_create([DirtyDay(organization=organization, day=day)
                                       for day in days], batch_size=2000)
        RollupState.all_orgs.update_or_create(
            organization=organization,
            defaults={"timezone": organization.timezone,
                      "business_hours": organization.business_hours, "built_at": timezone.now()})
    return len(days)


def _recompute_batch(organization: Organization, limit: int, up_to_marker: int) -> bool:
    """Recompute up to `limit` days marked dirty by markers up to `up_to_marker` (those seen
    when the run began) in one transaction; False when none is left."""
    with transaction.atomic():
        days = list(DirtyDay.all_orgs.filter(organization=organization, pk__lte=up_to_marker)
                    .order_by("day").values_list("day", flat=True).distinct()[:limit])
        if not days:
            return False
        markers = DirtyDay.all_orgs.filter(organization=organization, day__in=days)
        markers._raw_delete(markers.db)
        _rewrite(organization, days)
    return True


def rollup_recompute_dirty(*, organization_id: int, limit: int = DAYS_PER_RUN,
                           budget_seconds: float | None = None) -> int:
    """Recompute the organization's dirty days, `limit` days per transaction, until none is
    left or `budget_seconds` ran out; returns how many markers remain (the task re-enqueues).
    Starts a rebuild when the rollups are missing or built with another zone or calendar."""
    if not rollups_supported():
        return 0
    organization = Organization.objects.get(pk=organization_id)
    if not _state_matches(organization):
        rollup_reset(organization_id=organization_id)
    started = time.monotonic()
    # NOTE: only the days dirty when the run began: under steady ingest today is marked again
    # and again, and chasing those markers would keep a worker busy recomputing one day.
    up_to_marker = (DirtyDay.all_orgs.filter(organization=organization)
                    .aggregate(last=Max("pk"))["last"] or 0)
    while _recompute_batch(organization, limit, up_to_marker):
        if budget_seconds is not None and time.monotonic() - started > budget_seconds:
            break
    return DirtyDay.all_orgs.filter(organization=organization).count()


def rollup_rebuild(*, organization_id: int) -> None:
    """Rebuild every cell of the organization from its raw rows, in its current time zone and
    calendar, now (tests, benchmarks, the shell; the workers go through the markers)."""
    if not rollups_supported():
        return
    rollup_reset(organization_id=organization_id)
    rollup_recompute_dirty(organization_id=organization_id)


def organizations_needing_recompute() -> list[int]:
    """Organizations with dirty days, or without rollups (or built in another time zone or
    with another business-hours calendar)."""
    if not rollups_supported():
        return []
    marked = set(DirtyDay.all_orgs.order_by().values_list("organization_id", flat=True)
                 .distinct())
    built = {pk: (tz, calendar) for pk, tz, calendar in RollupState.all_orgs.values_list(
        "organization_id", "timezone", "business_hours")}
    existing = {pk: (tz, calendar) for pk, tz, calendar in Organization.objects.values_list(
        "pk", "timezone", "business_hours")}
    gone = marked - set(existing)
    if gone:  # markers left by the deletion of an organization
        orphans = DirtyDay.all_orgs.filter(organization_id__in=gone)
        orphans._raw_delete(orphans.db)
    return sorted((marked & set(existing)) | {pk for pk, state in existing.items()
                                              if built.get(pk) != state})
