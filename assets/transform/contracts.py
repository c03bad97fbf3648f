"""Declare every mart's columns and types in its YAML from a built warehouse:
`python -m assets.transform.contracts WAREHOUSE`.

The marts are what Python and users read; their contracts (enforced in dbt_project.yml on
the DuckDB target) make dbt refuse a build that would change a column's name or type
unannounced. Run this after changing a mart on
purpose, review the diff, and commit it. Descriptions and tests already in the YAML stay."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb
import yaml

from core.dbt_project import DBT_PROJECT_DIR

MARTS = DBT_PROJECT_DIR / "models" / "marts"


class _Dumper(yaml.SafeDumper):
    """The project's YAML style: lists indented under their key, mappings in block style,
    lists of plain values on one line."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


def _list(dumper: yaml.SafeDumper, items: list):
    flow = all(not isinstance(i, dict | list) for i in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow)


def _text(dumper: yaml.SafeDumper, text: str):
    long = len(text) > 100 or text.endswith("\n")
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=">" if long else None)


_Dumper.add_representer(list, _list)
_Dumper.add_representer(str, _text)


def dump(doc: dict) -> str:
    text = yaml.dump(
        doc, Dumper=_Dumper, sort_keys=False, default_flow_style=False, width=92, allow_unicode=True
    )
    return text.replace("version: 2\n", "version: 2\n\n", 1)


def declare(warehouse: Path) -> list[str]:
    """Write the columns of every mart found in `warehouse` into its YAML; the marts done."""
    done = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for path in sorted(MARTS.glob("_*__models.yml")):
            doc = yaml.safe_load(path.read_text())
            for model in doc.get("models", []):
                columns = con.execute(
                    "select column_name, data_type from information_schema.columns "
                    "where table_schema = 'marts' and table_name = ? order by ordinal_position",
                    [model["name"]],
                ).fetchall()
                if not columns:
                    continue
                known = {c["name"]: c for c in model.get("columns", [])}
                model["columns"] = [
                    {"name": name, "data_type": dtype.lower()}
                    | {
                        k: v
                        for k, v in known.get(name, {}).items()
                        if k not in {"name", "data_type"}
                    }
                    for name, dtype in columns
                ]
                done.append(model["name"])
            path.write_text(dump(doc))
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("warehouse", type=Path)
    args = parser.parse_args(argv)
    done = declare(args.warehouse)
    print(f"contracts declared for {len(done)} marts: {', '.join(done)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
