"""Nothing is lost: the ledger's counts match what is really in raw and quarantine."""

from dagster import AssetCheckResult, AssetCheckSeverity, AssetKey, asset_check

from assets.ingestion.ingest import RECORD_ID
from core.resources import WarehouseResource


def reconciliation_check(kind: str):
    @asset_check(
        asset=AssetKey(["raw", kind]),
        name="rows_reconcile_with_ledger",
        blocking=True,
        description=(
            f"For every file in the ledger of kind {kind!r}: rows in = rows in raw.{kind} + rows "
            "in raw.quarantine + rows erased at a person's request, counted in the tables "
            "themselves. Fails (and blocks what is "
            "downstream) if any row was lost or written twice."
        ),
    )
    def _check(warehouse: WarehouseResource) -> AssetCheckResult:
        with warehouse.connect(read_only=True) as con:
            broken = con.execute(
                f"""
                with raw_counts as (
                    select _file_sha256 as file_sha256, count(*) as n
                    from raw.{kind} group by 1
                ),
                quarantine_counts as (
                    select file_sha256, count(*) as n
                    from raw.quarantine where kind = ? group by 1
                ),
                -- a person's own rows erased at their request are accounted for, not lost
                erased_counts as (
                    select file_sha256, sum(rows) as n
                    from privacy.erased_rows where kind = ? group by 1
                )
                select
                    ledger.source_file, ledger.rows_in,
                    coalesce(raw_counts.n, 0) as in_raw,
                    coalesce(quarantine_counts.n, 0) as in_quarantine,
                    coalesce(erased_counts.n, 0) as erased
                from raw.file_ledger as ledger
                left join raw_counts using (file_sha256)
                left join quarantine_counts using (file_sha256)
                left join erased_counts using (file_sha256)
                where ledger.kind = ?
                  and ledger.rows_in != coalesce(raw_counts.n, 0) + coalesce(quarantine_counts.n, 0)
                      + coalesce(erased_counts.n, 0)
                """,
                [kind, kind, kind],
            ).fetchall()
            # DuckDB 2: fetchone() leaves the result open and blocks the next query
            [(files, rows)] = con.execute(
                "select count(*), coalesce(sum(rows_in), 0) from raw.file_ledger where kind = ?",
                [kind],
            ).fetchall()
        return AssetCheckResult(
            passed=not broken,
            severity=AssetCheckSeverity.ERROR,
            metadata={
                "files": files,
                "rows_in": int(rows),
                "files_not_reconciled": [
                    f"{b[0]}: {b[1]} in, {b[2]} raw, {b[3]} quarantined, {b[4]} erased"
                    for b in broken
                ],
                "record_id": RECORD_ID[kind],
            },
        )

    return _check


leads_reconcile = reconciliation_check("leads")
intelligence_reconcile = reconciliation_check("intelligence")
signals_reconcile = reconciliation_check("signals")
suppressions_reconcile = reconciliation_check("suppressions")
events_reconcile = reconciliation_check("events")
