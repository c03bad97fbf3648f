"""`outreach`: one entry point over the same Definitions the UI loads; no second code path."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from core.config import ConfigError, OutreachConfig, load_config
from core.warehouse_health import WarehouseUnusable, check_warehouse, explain, is_damage
from core.workspace import Workspace


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _today() -> date:
    return datetime.now(UTC).date()


STARTER_CONFIG = Path(__file__).parent / "starter_config"


def cmd_init(args: argparse.Namespace) -> int:
    """The example configuration with the starter's one source and one Draft Only campaign
    (dagster_project/starter_config/) over it; an existing config file is never replaced."""
    from demo.generator import EXAMPLE_CONFIG

    ws = Workspace(Path(args.dir).resolve()).create()
    written, kept = [], []
    for source in sorted(EXAMPLE_CONFIG.glob("*.yml")):
        starter = STARTER_CONFIG / source.name
        target = ws.config_dir / source.name
        if target.exists():
            kept.append(source.name)
            continue
        target.write_bytes((starter if starter.exists() else source).read_bytes())
        written.append(source.name)
    error = load_config_error(ws)
    print(f"workspace: {ws.home}")
    print(f"  config written: {', '.join(written) or 'none'}")
    if kept:
        print(f"  config kept as it was: {', '.join(kept)}")
    if error:
        print(f"configuration error:\n{error}", file=sys.stderr)
        return 2
    print(
        "next: put your lead file (CSV, JSON lines or Parquet; columns source_id, "
        "source_record, captured_on and an email, phone or company_name) in "
        f"{ws.landing('leads')}, then: outreach run --home {ws.home}"
    )
    return 0


def load_config_error(ws: Workspace) -> str | None:
    try:
        load_config(ws.config_dir)
    except ConfigError as exc:
        return str(exc)
    return None


def cmd_generate(args: argparse.Namespace) -> int:
    from demo.generator import generate

    started = time.perf_counter()
    made = generate(Path(args.out), args.leads, args.seed, args.as_of, args.mail)
    took = time.perf_counter() - started
    print(
        f"generated {made.lead_rows} lead rows ({made.persons} people, {made.companies} companies) "
        f"in {took:.1f}s\n  workspace: {made.workspace.home}\n  truth:     {made.workspace.truth}"
    )
    return 0


def _quiet_run_config() -> dict:
    return {
        "loggers": {
            "console": {"config": {"log_level": "CRITICAL"}},
            "progress": {"config": {"enabled": True}},
        }
    }


def _instance(ws: Workspace):
    from dagster_project.instance import run_instance

    return run_instance(ws)


def _config_or_none(ws: Workspace) -> OutreachConfig | None:
    """The workspace's configuration, or None after printing what is wrong (exit code 2)."""
    try:
        return load_config(ws.config_dir)
    except ConfigError as exc:
        print(f"configuration error:\n{exc}", file=sys.stderr)
        return None


def cmd_run(args: argparse.Namespace, job_name: str = "daily_job") -> int:
    ws = Workspace.resolve(args.home)
    if _config_or_none(ws) is None:
        return 2
    os.environ.update(ws.environment())
    as_of = args.as_of.isoformat()
    print(f"running {job_name} for {as_of} on {ws.home}", file=sys.stderr)
    from checks import gx_worker

    gx_worker.start()  # Great Expectations imports beside the imports and steps below
    from dagster_project.definitions import defs

    started = time.perf_counter()
    job = defs.resolve_job_def(job_name)
    log_path = ws.home / "logs" / f"run-{as_of}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # dbt's own console output goes to the run log; the terminal gets one line a stage.
    with (
        _instance(ws) as instance,
        open(log_path, "a", encoding="utf-8") as log,
        contextlib.redirect_stdout(log),
    ):
        result = job.execute_in_process(
            partition_key=as_of,
            instance=instance,
            run_config=_quiet_run_config(),
            raise_on_error=False,
        )
    gx_worker.settle()  # the Data Docs pages of this run's suites are written
    took = time.perf_counter() - started
    print(f"  full log: {log_path}", file=sys.stderr)
    failed_checks = [
        e.asset_check_evaluation_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
        and not e.asset_check_evaluation_data.passed
    ]
    print_summary(ws, result.success, failed_checks, took)
    return 0 if result.success and not failed_checks else 1


def print_summary(ws: Workspace, success: bool, failed_checks: list, took: float) -> None:
    from dagster_project.summary import warehouse_summary, why_not

    figures = warehouse_summary(ws.warehouse)
    print(f"\n{'done' if success else 'FAILED'} in {took:.1f}s")
    for label, value in figures.items():
        print(f"  {label:<22} {value}")
    print(f"  {'checks failed':<22} {len(failed_checks)}")
    for check in failed_checks:
        print(f"    - {check.asset_key.to_user_string()}:{check.check_name}")
    reasons, quarantined = why_not(ws.warehouse)
    if reasons:
        print("  no draft for review (prospect x campaign pairs, first reason):")
        for reason, pairs in reasons:
            print(f"    {pairs:>8}  {reason}")
        print("    (one person's path: outreach explain EMAIL)")
    if quarantined:
        print("  quarantined rows (file, reason; details in raw.quarantine):")
        for file, reason, rows in quarantined:
            print(f"    {rows:>8}  {file}: {reason}")
    print(f"  {'warehouse':<22} {ws.warehouse}")
    print(f"  {'exports':<22} {ws.exports}")


def cmd_explain(args: argparse.Namespace) -> int:
    from dagster_project.explain_person import explain_person

    lines = explain_person(Workspace.resolve(args.home).warehouse, args.email)
    print("\n".join(lines))
    return 0 if lines and not lines[0].startswith("no prospect") else 1


def _no_warehouse(ws: Workspace, then: str = "run `outreach run` first") -> bool:
    """True, and says so, when the workspace has no warehouse yet."""
    if ws.warehouse.exists():
        return False
    print(f"no warehouse at {ws.warehouse}: {then}", file=sys.stderr)
    return True


def cmd_queue_export(args: argparse.Namespace) -> int:
    import duckdb

    from assets.exports.review_queue import export_queue

    ws = Workspace.resolve(args.home)
    if _no_warehouse(ws):
        return 2
    with duckdb.connect(str(ws.warehouse), read_only=True) as con:
        out = export_queue(con, ws.exports, args.as_of.isoformat())
    print(f"{out.rows} drafts awaiting a decision")
    for path in (out.xlsx, out.csv, *out.html):
        print(path)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """The funnel report of the last daily run, the same function the asset runs."""
    import duckdb

    from assets.exports.funnel_report import write_report

    ws = Workspace.resolve(args.home)
    if _no_warehouse(ws):
        return 2
    with duckdb.connect(str(ws.warehouse), read_only=True) as con:
        try:
            path = write_report(con, ws.exports / "reports" / args.as_of.isoformat(), args.as_of)
        except duckdb.CatalogException:
            print("the funnel marts are not built: run `outreach run` first", file=sys.stderr)
            return 2
    print(path)
    print(path.with_name("learning.html"))
    return 0


def cmd_queue_import(args: argparse.Namespace) -> int:
    import duckdb

    from assets.review.decisions import DecisionFileError, import_decisions

    ws = Workspace.resolve(args.home)
    if (config := _config_or_none(ws)) is None:
        return 2
    path = Path(args.file)
    if not path.is_file():
        print(f"{path}: no such file", file=sys.stderr)
        return 2
    try:
        with duckdb.connect(str(ws.warehouse)) as con:
            at = datetime.fromisoformat(args.at).replace(tzinfo=None) if args.at else None
            result = import_decisions(con, path, ws, config, args.as_of, at)
    except DecisionFileError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if result.already_imported:
        print(f"{path}: already imported (same content); nothing done")
        return 0
    print(
        f"{path}: {result.accepted} accepted, {result.rejected} rejected, {result.undecided} left "
        f"undecided"
    )
    for row, reason in result.reasons:
        print(f"  row {row}: {reason}")
    return 0 if not result.rejected else 1


def cmd_acknowledge_breach(args: argparse.Namespace) -> int:
    """Record that a named human looked at a campaign's transitions outside the rules up to
    the run date, and why they judge the pilot may go on; the gate judges the days after."""
    from core.schema import ensure_operational_tables

    ws = Workspace.resolve(args.home)
    config = _config_or_none(ws)
    if config is None:
        return 2
    if args.campaign not in {c.campaign_id for c in config.campaigns}:
        print(
            f"no campaign {args.campaign!r} in {ws.config_dir / 'campaigns.yml'}", file=sys.stderr
        )
        return 2
    who, why = args.by.strip(), args.reason.strip()
    if not who or not why:
        print("--by (who acknowledges) and --reason (why) must both be given", file=sys.stderr)
        return 2
    at = datetime.fromisoformat(args.at).replace(tzinfo=None) if args.at else datetime.now(UTC)
    with duckdb.connect(str(ws.warehouse)) as con:
        ensure_operational_tables(con)
        con.execute(
            "insert into review.breach_acknowledgements values (?, ?, ?, ?, ?)",
            [args.campaign, who, why, args.as_of, at.replace(tzinfo=None)],
        )
    print(
        f"{args.campaign}: breaches through {args.as_of} acknowledged by {who} ({why}); the "
        f"next run's pilot gate counts transitions outside the rules after {args.as_of}"
    )
    return 0


def cmd_audit_crm(args: argparse.Namespace) -> int:
    """Record a human's check of one CRM record against its evidence: the stage the last
    run showed and the stage the human found. CRM accuracy is the share found right."""
    from core.reference import crm_stages
    from core.schema import ensure_operational_tables

    ws = Workspace.resolve(args.home)
    stages = {" ".join(s.lower().split()): s for s in crm_stages()}
    stage = stages.get(" ".join(args.stage.lower().split()))
    if stage is None:
        known = ", ".join(crm_stages())
        print(f"{args.stage!r} is not a CRM stage; one of: {known}", file=sys.stderr)
        return 2
    who = args.by.strip()
    if not who:
        print("--by (who audited the record) must be given", file=sys.stderr)
        return 2
    if _no_warehouse(ws):
        return 2
    at = datetime.fromisoformat(args.at).replace(tzinfo=None) if args.at else datetime.now(UTC)
    with duckdb.connect(str(ws.warehouse)) as con:
        ensure_operational_tables(con)
        found = con.execute(
            "select crm_stage from marts.crm_pipeline where prospect_id = ? and campaign_id = ?",
            [args.prospect, args.campaign],
        ).fetchall()
        if not found:
            print(
                f"no CRM record for prospect {args.prospect!r} in campaign {args.campaign!r} "
                "(marts.crm_pipeline)",
                file=sys.stderr,
            )
            return 2
        recorded = found[0][0]
        con.execute(
            "insert into review.crm_audits values (?, ?, ?, ?, ?, ?, ?, ?)",
            [args.prospect, args.campaign, recorded, stage, who, args.note, args.as_of, at],
        )
    verdict = "right" if recorded == stage else f"WRONG (the record shows {recorded})"
    print(f"{args.prospect} in {args.campaign}: {stage} per {who}: the CRM stage is {verdict}")
    return 0


def cmd_forget(args: argparse.Namespace) -> int:
    """Honour an erasure or objection request now: the same function the daily run uses."""
    import duckdb

    from assets.privacy.erase import Request, compact_warehouse, honour
    from core.keys import email_hash

    ws = Workspace.resolve(args.home)
    if _config_or_none(ws) is None:
        return 2
    if "@" not in args.email:
        print(f"{args.email!r} is not an email address", file=sys.stderr)
        return 2
    if _no_warehouse(ws, "nothing to forget yet"):
        return 2
    at = (
        datetime.fromisoformat(args.at).replace(tzinfo=None)
        if args.at
        else datetime.combine(args.as_of, datetime.min.time())
    )
    request_id = args.ref or f"cli:{email_hash(args.email)[:16]}:{at.isoformat()}"
    request = Request(request_id, args.type, at, "cli", emails=(args.email,))
    with duckdb.connect(str(ws.warehouse)) as con:
        done = honour(con, ws, [request], at)
    if not done.requests:
        print(f"request {request_id} was honoured before; nothing done")
        return 0
    compact_warehouse(ws.warehouse)
    print(
        f"{args.type} request {request_id} honoured: {done.prospects} prospect(s); "
        f"{done.rows_pseudonymised} rows pseudonymised and {done.rows_erased} erased in the "
        f"warehouse; "
        f"{len(done.files_removed)} files removed and {len(done.files_rewritten)} rewritten; "
        "suppressed permanently by the hash of the address"
    )
    for path in done.files_not_rewritten:
        print(f"  not rewritten (format), remove the person by hand: {path}")
    return 0


def cmd_classify(args: argparse.Namespace) -> int:
    import json

    from assets.inbound.classify import classify
    from assets.inbound.mailbox import read_mail

    status = 0
    for target in args.paths:
        path = Path(target)
        if not path.exists():
            print(f"{path}: no such file or folder", file=sys.stderr)
            status = 2
            continue
        for mail in read_mail(path):
            result = classify(mail.raw, as_of=args.as_of)
            print(json.dumps(result.as_json(file=mail.source), ensure_ascii=False))
    return status


def cmd_send(args: argparse.Namespace) -> int:
    ws = Workspace.resolve(args.home)
    if _config_or_none(ws) is None:
        return 2
    os.environ.update(ws.environment())
    from dagster_project.definitions import defs

    send_config = {
        "live": args.live,
        "transport": args.transport,
        "at": args.at or "",
        "as_of": args.as_of.isoformat() if args.as_of else "",
    }
    run_config = {
        # the opening check judges the queue as of the same moment the send does
        "ops": {
            "check_send_queue": {"config": send_config},
            "send_approved": {"config": send_config},
        },
        "loggers": {"console": {"config": {"log_level": "CRITICAL"}}},
    }
    with _instance(ws) as instance:
        result = defs.resolve_job_def("send_job").execute_in_process(
            run_config=run_config, instance=instance, raise_on_error=False
        )
    if not result.success:
        failure = next((e for e in result.all_events if e.is_step_failure), None)
        detail = (
            failure.step_failure_data.error.message.strip() if failure else "see the Dagster log"
        )
        print(f"send job FAILED: {detail}", file=sys.stderr)
        return 1
    report = result.output_for_node("send_approved")
    mode = "LIVE" if report["live"] else "dry run (nothing sent; --live to send)"
    print(f"send job, {mode}, transport {args.transport}")
    if not report["live"]:
        print(f"  would send             {len(report['would_send'])}")
    print(f"  sent                   {len(report['sent'])}")
    print(f"  held by a check        {len(report['held'])}")
    for communication, reason in report["held"][:20]:
        print(f"    {communication}: {reason}")
    print(f"  failed                 {len(report['failed'])}")
    for communication, status, detail in report["failed"]:
        print(f"    {communication}: {status}: {detail}")
    print(f"  already claimed        {len(report['skipped_claimed'])}")
    print(f"  manual tasks           {len(report['tasks'])} (non-email channels: a person sends)")
    print(
        f"  outcome unknown        {len(report['outcome_unknown'])} (for a human to decide; never "
        f"resent)"
    )
    if args.transport == "outbox":
        print(f"  outbox                 {ws.outbox}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="outreach", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    init = sub.add_parser(
        "init",
        help="a new workspace with every config file, commented, ready for your own lead files",
    )
    init.add_argument("dir")
    init.set_defaults(func=cmd_init)
    gen = sub.add_parser("generate", help="write demo or benchmark data into a workspace")
    gen.add_argument("--leads", type=int, default=2000, help="lead rows to write (default 2000)")
    gen.add_argument("--seed", type=int, default=7)
    gen.add_argument("--out", default=os.environ.get("OUTREACH_HOME", "workspace"))
    gen.add_argument("--as-of", type=_date, default=None, help="the day the data is as of")
    gen.add_argument(
        "--mail", type=int, default=4, help="inbound messages in the mailbox (default 4)"
    )
    gen.set_defaults(func=cmd_generate)

    run = sub.add_parser("run", help="materialise the daily job for one run date")
    run.add_argument("--as-of", type=_date, default=None, help="run date (default: today, UTC)")
    run.add_argument(
        "--home", default=None, help="workspace (default: $OUTREACH_HOME, ./workspace)"
    )
    run.set_defaults(func=cmd_run)

    inbound = sub.add_parser(
        "inbound-leads",
        help="draft for new inbound leads now: ingest, the models drafting needs, drafting "
        "and the review export (no briefs, reports or marts the queue does not read)",
    )
    inbound.add_argument("--as-of", type=_date, default=None, help="run date (default: today)")
    inbound.add_argument(
        "--home", default=None, help="workspace (default: $OUTREACH_HOME, ./workspace)"
    )
    inbound.set_defaults(func=lambda args: cmd_run(args, "inbound_leads_job"))

    queue = sub.add_parser("queue", help="the human review queue: export it, import decisions")
    queue_sub = queue.add_subparsers(dest="queue_command", required=True)
    export = queue_sub.add_parser(
        "export", help="write the review queue (XLSX, CSV, HTML); print the paths"
    )
    export.add_argument(
        "--as-of", type=_date, default=None, help="the export's date folder (default: today)"
    )
    export.add_argument("--home", default=None)
    export.set_defaults(func=cmd_queue_export)
    imp = queue_sub.add_parser(
        "import", help="read a returned XLSX or CSV; print accepted and rejected counts"
    )
    imp.add_argument("file")
    imp.add_argument("--as-of", type=_date, default=None, help="the decision date (default: today)")
    imp.add_argument(
        "--at", default=None, help="when the decisions were made, ISO 8601 (default: now)"
    )
    imp.add_argument("--home", default=None)
    imp.set_defaults(func=cmd_queue_import)

    classify = sub.add_parser(
        "classify", help="classify mail (files, Maildir or mbox): one JSON object per message"
    )
    classify.add_argument("paths", nargs="+")
    classify.add_argument(
        "--as-of",
        type=_date,
        default=None,
        help="the date relative dates resolve against when a message has none",
    )
    classify.set_defaults(func=cmd_classify)

    report = sub.add_parser(
        "report",
        help="write the HTML funnel and learning reports into exports/reports/<date>/",
    )
    report.add_argument(
        "--as-of", type=_date, default=None, help="the report's date (default: today)"
    )
    report.add_argument("--home", default=None)
    report.set_defaults(func=cmd_report)

    acknowledge = sub.add_parser(
        "acknowledge-breach",
        help="record a human's acknowledgement of a campaign's pilot-gate breach (who, why)",
    )
    acknowledge.add_argument("campaign")
    acknowledge.add_argument("--by", required=True, help="who acknowledges it")
    acknowledge.add_argument("--reason", required=True, help="why the pilot may go on")
    acknowledge.add_argument(
        "--as-of", type=_date, default=None, help="the last day it covers (default: today)"
    )
    acknowledge.add_argument("--at", default=None, help="when, ISO 8601 (default: now)")
    acknowledge.add_argument("--home", default=None)
    acknowledge.set_defaults(func=cmd_acknowledge_breach)
    audit = sub.add_parser(
        "audit-crm",
        help="record a human's check of one CRM record's stage against its evidence",
    )
    audit.add_argument("prospect")
    audit.add_argument("campaign")
    audit.add_argument("--stage", required=True, help="the stage the evidence shows")
    audit.add_argument("--by", required=True, help="who audited the record")
    audit.add_argument("--note", default=None)
    audit.add_argument("--as-of", type=_date, default=None, help="the audit's day (default: today)")
    audit.add_argument("--at", default=None, help="when, ISO 8601 (default: now)")
    audit.add_argument("--home", default=None)
    audit.set_defaults(func=cmd_audit_crm)
    explain_cmd = sub.add_parser(
        "explain",
        help="one person's path towards a draft, campaign by campaign, and what stopped it",
    )
    explain_cmd.add_argument("email")
    explain_cmd.add_argument("--home", default=None)
    explain_cmd.set_defaults(func=cmd_explain)
    forget = sub.add_parser(
        "forget",
        help="honour an erasure or objection request: suppress for good, pseudonymise everywhere",
    )
    forget.add_argument("email")
    forget.add_argument("--type", choices=("erasure", "objection"), default="erasure")
    forget.add_argument("--ref", default=None, help="the request's reference (default: derived)")
    forget.add_argument("--as-of", type=_date, default=None, help="the day it is honoured")
    forget.add_argument("--at", default=None, help="when it was received, ISO 8601")
    forget.add_argument("--home", default=None)
    forget.set_defaults(func=cmd_forget)

    send = sub.add_parser("send", help="run the send job (a dry run unless --live)")
    send.add_argument("--home", default=None)
    send.add_argument("--transport", choices=("outbox", "smtp"), default="outbox")
    send.add_argument(
        "--live", action="store_true", help="really claim and send (default: report only)"
    )
    send.add_argument("--at", default=None, help="the send moment, ISO 8601 (default: now)")
    send.add_argument(
        "--as-of", type=_date, default=None, help="judge suppressions and approvals as of this day"
    )
    send.set_defaults(func=cmd_send)
    return parser


def main(argv: list[str] | None = None) -> int:
    import warnings

    # Dagster marks some parameters this project relies on as beta; the user cannot act on it
    warnings.filterwarnings("ignore", message=".*is currently in beta.*")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    args = build_parser().parse_args(argv)
    if getattr(args, "as_of", "unset") is None:
        args.as_of = _today()
    if hasattr(args, "home"):
        warehouse = Workspace.resolve(args.home).warehouse
        try:
            check_warehouse(warehouse)
            return args.func(args)
        except WarehouseUnusable as exc:
            print(f"outreach: {exc}", file=sys.stderr)
            return 2
        except duckdb.Error as exc:
            if not is_damage(exc):
                raise
            print(f"outreach: {explain(warehouse, exc)}", file=sys.stderr)
            return 2
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
