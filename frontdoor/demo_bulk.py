"""Bulk writes for the demo history: rows of one table, a few thousand at a time, in the
caller's transaction. Ids are taken first (so a table's rows can name each other's), then
the rows go as SQLite's executemany or PostgreSQL's COPY: both measured several times
faster for a year at thirty sites than Core's executemany (SQLAlchemy's per-row parameter
handling on SQLite; a statement a row over the wire on PostgreSQL)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import JSON, Table, func, insert, select
from sqlalchemy.orm import Session

CHUNK = 5000


def insert_rows(
    session: Session, model: type, rows: list[dict[str, Any]], returning: bool = True
) -> list[int]:
    """Insert `rows`; with `returning`, their new ids in the same order (taken first, so the
    rows go in bulk: SQLite would return ids row by row)."""
    table: Table = model.__table__  # type: ignore[attr-defined]
    ids: list[int] = []
    if not rows:
        return ids
    if returning:
        ids = _new_ids(session, table, len(rows))
        for row, new in zip(rows, ids, strict=True):
            row["id"] = new
    columns = list(rows[0])
    # Left out, a column is NULL: never one with a default that Core would have applied.
    assert not [c for c in table.c if c.name not in columns and c.default is not None], table
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        _copy(session, table, columns, rows)
    elif dialect == "sqlite":
        _executemany(session, table, columns, rows)
    else:
        for start in range(0, len(rows), CHUNK):
            session.execute(insert(table), rows[start : start + CHUNK])
    return ids


def _executemany(
    session: Session, table: Table, columns: list[str], rows: list[dict[str, Any]]
) -> None:
    """SQLite: the driver's executemany, each value bound by its column type's own bind
    processor (what Core does; Core's per-row parameter handling was most of the time)."""
    dialect = session.get_bind().dialect
    binds = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns]
    names = ", ".join(f'"{name}"' for name in columns)
    sql = f"INSERT INTO {table.name} ({names}) VALUES ({', '.join('?' * len(columns))})"
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]

    def bound(row: dict[str, Any]) -> list[Any]:
        values = [row[name] for name in columns]
        for index, bind in processed:
            if values[index] is not None:
                values[index] = bind(values[index])
        return values

    processed = [(i, bind) for i, bind in enumerate(binds) if bind is not None]
    try:
        cursor.executemany(sql, map(bound, rows))
    finally:
        cursor.close()


def _copy(session: Session, table: Table, columns: list[str], rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: COPY, its bulk load (an executemany there is still a statement a row,
    three times slower), in the session's transaction. Values go as the column types bind
    them: aware UTC datetimes, dates, and JSON as its text."""
    as_json = [isinstance(table.c[name].type, JSON) for name in columns]
    names = ", ".join(f'"{name}"' for name in columns)
    driver = session.connection().connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:  # type: ignore[union-attr]
        for row in rows:
            copy.write_row(
                [json.dumps(row[n]) if j else row[n] for n, j in zip(columns, as_json, strict=True)]
            )


def _new_ids(session: Session, table: Table, count: int) -> list[int]:
    """`count` ids nobody else will take: PostgreSQL's sequence hands them out; on SQLite
    the write lock (begin_write) is held, so the ones after the highest are free."""
    if session.get_bind().dialect.name == "postgresql":
        sequence = func.pg_get_serial_sequence(table.name, "id")
        taken = select(func.nextval(sequence)).select_from(func.generate_series(1, count))
        return list(session.scalars(taken))
    highest = session.scalar(select(func.coalesce(func.max(table.c.id), 0)))
    return list(range(highest + 1, highest + 1 + count))
