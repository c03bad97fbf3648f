"""The bridge to a shared warehouse through a dbt adapter (PostgreSQL): with
`OUTREACH_DBT_TARGET=postgres` dbt builds every model in PostgreSQL, while the Python
assets keep their working copy in the DuckDB file.

Before a dbt build the resource publishes every table dbt declares as a source (the
manifest's sources: raw, config, drafting, review, send, inbound) to PostgreSQL, replacing
what was there; after it, every relation dbt built (seeds, staging, intermediate, marts)
is copied back into the DuckDB file, so drafting, the exports, the send gate and the
summary read what PostgreSQL computed. Data moves as CSV through COPY on both sides,
with each column's type mapped explicitly (`DUCK_TO_PG`, `PG_TO_DUCK`).
"""

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

DUCK_TO_PG = {
    "VARCHAR": "text",
    "BIGINT": "bigint",
    "INTEGER": "integer",
    "SMALLINT": "smallint",
    "HUGEINT": "numeric",
    "DOUBLE": "double precision",
    "FLOAT": "real",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "BLOB": "bytea",
    "VARCHAR[]": "text[]",
    '"NULL"': "text",
}
PG_TO_DUCK = {
    "text": "VARCHAR",
    "character varying": "VARCHAR",
    "character": "VARCHAR",
    "bigint": "BIGINT",
    "integer": "INTEGER",
    "smallint": "SMALLINT",
    "numeric": "DOUBLE",
    "double precision": "DOUBLE",
    "real": "FLOAT",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "timestamp without time zone": "TIMESTAMP",
    "timestamp with time zone": "TIMESTAMPTZ",
    "bytea": "BLOB",
}


def postgres_settings() -> dict[str, str]:
    """Connection settings from the environment (the same variables dbt's profile reads);
    the password never from a file in the repository."""
    return {
        "host": os.environ.get("OUTREACH_PG_HOST", "127.0.0.1"),
        "port": os.environ.get("OUTREACH_PG_PORT", "5432"),
        "user": os.environ.get("OUTREACH_PG_USER", "outreach"),
        "password": os.environ.get("OUTREACH_PG_PASSWORD", ""),
        "dbname": os.environ.get("OUTREACH_PG_DATABASE", "outreach"),
    }


@contextmanager
def postgres() -> Iterator:
    import psycopg2

    con = psycopg2.connect(**postgres_settings())
    try:
        yield con
        con.commit()
    except BaseException:
        con.rollback()
        raise
    finally:
        con.close()


def _ident(name: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise ValueError(f"not a plain SQL identifier: {name!r}")
    return f'"{name}"'


def _decimal(duck_type: str) -> str | None:
    found = re.fullmatch(r"DECIMAL\((\d+),(\d+)\)", duck_type)
    return f"numeric({found[1]},{found[2]})" if found else None


def _pg_type(duck_type: str, where: str) -> str:
    mapped = DUCK_TO_PG.get(duck_type) or _decimal(duck_type)
    if mapped is None:
        raise ValueError(f"{where}: no PostgreSQL type for DuckDB type {duck_type}")
    return mapped


def _pg_literal(column: str, duck_type: str) -> str:
    """A DuckDB expression that writes the column as PostgreSQL reads it in CSV."""
    col = _ident(column)
    if duck_type == "VARCHAR[]":
        quoted = (
            "list_transform(" + col + ", lambda x: case when x is null then 'NULL' else "
            "'\"' || replace(replace(x, '\\', '\\\\'), '\"', '\\\"') || '\"' end)"
        )
        array = f"'{{' || array_to_string({quoted}, ',') || '}}'"
        return f"case when {col} is null then null else {array} end"
    if duck_type == "BLOB":
        return f"'\\x' || hex({col})"
    if duck_type == '"NULL"':
        return f"cast({col} as varchar)"
    return col


def _source_tables(manifest: dict) -> list[tuple[str, str]]:
    return sorted(
        {(s["schema"], s["identifier"] or s["name"]) for s in manifest["sources"].values()}
    )


def _built_relations(manifest: dict) -> list[tuple[str, str]]:
    return sorted(
        {
            (n["schema"], n["alias"] or n["name"])
            for n in manifest["nodes"].values()
            if n["resource_type"] in ("model", "seed")
            and n["config"].get("materialized") != "ephemeral"
        }
    )


def _pg_columns(cur, schema: str, table: str) -> list[tuple[str, str]]:
    """A table's columns and types as `DUCK_TO_PG` spells them (empty when it is absent)."""
    cur.execute(
        "select a.attname, format_type(a.atttypid, a.atttypmod) from pg_attribute a "
        "join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace "
        "where n.nspname = %s and c.relname = %s and a.attnum > 0 and not a.attisdropped "
        "order by a.attnum",
        [schema, table],
    )
    spelled = {
        "timestamp without time zone": "timestamp",
        "timestamp with time zone": "timestamptz",
    }
    return [(name, spelled.get(kind, kind)) for name, kind in cur.fetchall()]


def push_sources(duck: duckdb.DuckDBPyConnection, pg, manifest: dict) -> dict[str, int]:
    """Replace every dbt source table in PostgreSQL with the DuckDB file's rows."""
    pushed = {}
    with tempfile.TemporaryDirectory(prefix="outreach_push_") as scratch:
        for schema, table in _source_tables(manifest):
            columns = duck.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = ? and table_name = ? order by ordinal_position",
                [schema, table],
            ).fetchall()
            if not columns:
                raise ValueError(f"dbt source {schema}.{table} is not in the DuckDB warehouse")
            where = f"{schema}.{table}"
            wanted = [(c, _pg_type(t, f"{where}.{c}")) for c, t in columns]
            path = Path(scratch) / f"{schema}.{table}.csv"
            select = ", ".join(_pg_literal(c, t) for c, t in columns)
            duck.execute(
                f"copy (select {select} from {_ident(schema)}.{_ident(table)}) to '{path}' "
                "(format csv, header false)"
            )
            with pg.cursor() as cur:
                cur.execute(f"create schema if not exists {_ident(schema)}")
                if _pg_columns(cur, schema, table) == wanted:
                    # same shape: keep the table, so the views dbt built over it stay
                    cur.execute(f"truncate {_ident(schema)}.{_ident(table)}")
                else:
                    cur.execute(f"drop table if exists {_ident(schema)}.{_ident(table)} cascade")
                    ddl = ", ".join(f"{_ident(c)} {t}" for c, t in wanted)
                    cur.execute(f"create table {_ident(schema)}.{_ident(table)} ({ddl})")
                with open(path, encoding="utf-8") as rows:
                    cur.copy_expert(
                        f"copy {_ident(schema)}.{_ident(table)} from stdin with (format csv)", rows
                    )
                pushed[where] = cur.rowcount
    return pushed


def pull_models(pg, duck: duckdb.DuckDBPyConnection, manifest: dict) -> dict[str, int]:
    """Copy every relation dbt built in PostgreSQL into the DuckDB file, as a table."""
    pulled = {}
    with tempfile.TemporaryDirectory(prefix="outreach_pull_") as scratch:
        for schema, table in _built_relations(manifest):
            with pg.cursor() as cur:
                cur.execute(
                    "select column_name, data_type from information_schema.columns "
                    "where table_schema = %s and table_name = %s order by ordinal_position",
                    [schema, table],
                )
                columns = cur.fetchall()
                if not columns:
                    continue  # not built this run (deselected or skipped after a failure)
                path = Path(scratch) / f"{schema}.{table}.csv"
                with open(path, "w", encoding="utf-8", newline="") as out:
                    cur.copy_expert(
                        f"copy (select * from {_ident(schema)}.{_ident(table)}) to stdout "
                        "with (format csv)",
                        out,
                    )
            # anything unmapped (an ARRAY's {a,b}: no model returns one) arrives as text
            types = {name: PG_TO_DUCK.get(data_type, "VARCHAR") for name, data_type in columns}
            duck.execute(f"create schema if not exists {_ident(schema)}")
            is_view = duck.execute(
                "select count(*) from information_schema.tables where table_schema = ? "
                "and table_name = ? and table_type = 'VIEW'",
                [schema, table],
            ).fetchone()[0]
            if is_view:  # a DuckDB-built view from before the move: the copy replaces it
                duck.execute(f"drop view {_ident(schema)}.{_ident(table)}")
            duck.execute(
                f"create or replace table {_ident(schema)}.{_ident(table)} as "
                "select * from read_csv(?, header = false, columns = ?, "
                "allow_quoted_nulls = false, auto_detect = false)",
                [str(path), types],
            )
            pulled[f"{schema}.{table}"] = duck.execute(
                f"select count(*) from {_ident(schema)}.{_ident(table)}"
            ).fetchone()[0]
    return pulled
