"""Plain SQL for the few hot paths where the ORM's per-query compile is most of the cost.

The statements are built once per process from the models' own fields, and rows come back as
model instances through the same converters the ORM applies, so the results are exactly what
the equivalent QuerySet would give, on PostgreSQL and on the embedded SQLite alike.
"""

from __future__ import annotations

from functools import cache

from django.db import connection


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


@cache
def columns(model, alias: str) -> tuple[str, tuple]:
    """(`alias.col, …` for every concrete field, the fields) of a model."""
    fields = tuple(model._meta.concrete_fields)
    return ", ".join(f"{alias}.{quote(f.column)}" for f in fields), fields


@cache
def _converters(model) -> tuple:
    """(column expression, its converters) per concrete field, as the ORM's compiler finds them."""
    out = []
    for f in model._meta.concrete_fields:
        col = f.get_col(model._meta.db_table)
        out.append((col, tuple(connection.ops.get_db_converters(col)
                               + col.get_db_converters(connection))))
    return tuple(out)


def instance(model, values):
    """A model instance from one row of `columns(model, …)` values (as the ORM would load it)."""
    converted = []
    for value, (col, converters) in zip(values, _converters(model), strict=True):
        for converter in converters:
            value = converter(value, col, connection)
        converted.append(value)
    return model.from_db(connection.alias, [f.attname for f in model._meta.concrete_fields],
                         converted)


@cache
def unique_conflict(model, constraint_name: str) -> str:
    """The ON CONFLICT target of one of the model's unique constraints: its columns and, for a
    partial one, its condition written exactly as in the index (SQLite needs the same text)."""
    from django.db.models.sql import Query

    constraint = next(c for c in model._meta.constraints if c.name == constraint_name)
    target = "(" + ", ".join(quote(model._meta.get_field(f).column) for f in constraint.fields) + ")"
    if constraint.condition is None:
        return target
    query = Query(model=model, alias_cols=False)
    sql, params = query.build_where(constraint.condition).as_sql(
        query.get_compiler(connection=connection), connection)
    editor = connection.SchemaEditorClass(connection)  # only to quote literals, never entered
    return f"{target} WHERE {sql % tuple(editor.quote_value(p) for p in params)}"


@cache
def insert_sql(model, conflict: str) -> tuple[str, tuple]:
    """INSERT … ON CONFLICT `conflict` DO NOTHING RETURNING id, for every field but the key."""
    fields = tuple(f for f in model._meta.concrete_fields if not f.primary_key)
    # NOTE: only quoted model names and %s placeholders are formatted in; values are parameters.
    sql = (f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608
           f"({', '.join(quote(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))}) "
           f"ON CONFLICT {conflict} DO NOTHING RETURNING id")
    return sql, fields


def insert_row(cursor, obj, conflict: str) -> int | None:
    """Insert `obj` (its model defaults and auto_now fields applied); its id, or None when the
    `conflict` target (see unique_conflict) already holds the row."""
    sql, fields = insert_sql(type(obj), conflict)
    cursor.execute(sql, [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
    row = cursor.fetchone()
    return row[0] if row else None
