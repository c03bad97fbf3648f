"""The send job: Dagster ops in a job of their own, never part of the daily asset
materialisation. Dry run unless `live: true`."""

from datetime import date, datetime

from dagster import (
    Config,
    Failure,
    In,
    Nothing,
    OpExecutionContext,
    Out,
    in_process_executor,
    job,
    op,
)

from core.config import OutreachConfig
from core.resources import WarehouseResource, WorkspaceResource
from core.suppression_rule import Asked, suppressions_in_effect
from dagster_project.sending.send import Clock, connect, run_sends
from dagster_project.sending.transports import OutboxTransport, SmtpSettings, SmtpTransport

# the blocking checks on the send queue, re-run when the job starts: any row fails the job
QUEUE_CHECKS = {
    "duplicate communication id": (
        "select communication_id from marts.send_queue group by 1 having count(*) > 1"
    ),
    "row without an approval": (
        "select communication_id from marts.send_queue where approved_content_hash is null or "
        "approved_by is null"
    ),
}


def suppressed_in_queue(con, config: OutreachConfig, as_of: date) -> list[str]:
    """Queue rows the one suppression rule says are suppressed by a suppression the queue
    was built from: the mart is wrong, and nothing may be sent from it. A suppression that
    arrived after the build (or takes effect later, or belongs to another client) is not a
    breach of the mart: the gate holds that one message."""
    clients = {c.campaign_id: c.client_id for c in config.campaigns}
    rows = con.execute(
        "select communication_id, prospect_id, recipient, campaign_id, suppressions_seen_through "
        "from marts.send_queue where suppressions_seen_through is not null"
    ).fetchall()
    found = suppressions_in_effect(
        con,
        [
            Asked(communication, prospect, recipient, clients.get(campaign), seen)
            for communication, prospect, recipient, campaign, seen in rows
        ],
        "email",
        as_of,
    )
    return sorted(found)


class SendConfig(Config):
    live: bool = False
    transport: str = "outbox"  # outbox or smtp
    at: str = ""  # the send moment as ISO 8601 (tests, replays); empty: the wall clock
    as_of: str = ""  # the day suppressions and approvals are judged as of; empty: the send day


@op(description="Re-run the send queue's blocking checks; any breach fails the job before a send.")
def check_send_queue(
    context: OpExecutionContext,
    config: SendConfig,
    warehouse: WarehouseResource,
    workspace: WorkspaceResource,
) -> None:
    as_of = (
        date.fromisoformat(config.as_of)
        if config.as_of
        else Clock(datetime.fromisoformat(config.at) if config.at else None).now().date()
    )
    with connect(warehouse.file, read_only=True) as con:
        breaches = {
            name: [r[0] for r in con.execute(sql).fetchall()] for name, sql in QUEUE_CHECKS.items()
        }
        breaches["suppressed recipient"] = suppressed_in_queue(con, workspace.load_config(), as_of)
    broken = {k: v for k, v in breaches.items() if v}
    if broken:
        raise Failure(
            "the send queue fails its blocking checks: "
            + "; ".join(f"{k}: {', '.join(v[:5])}" for k, v in broken.items())
        )
    context.log.info("send queue checks passed")


@op(
    ins={"checked": In(Nothing)},
    out=Out(dict),
    description=(
        "For each queued message: re-check suppression, approval and hash, sequence state, "
        "authority, caps and window; claim; send; record the outcome."
    ),
)
def send_approved(
    context: OpExecutionContext, config: SendConfig, workspace: WorkspaceResource
) -> dict:
    ws = workspace.workspace
    if config.transport == "outbox":
        transport = OutboxTransport(ws.outbox)
    elif config.transport == "smtp":
        try:
            transport = SmtpTransport(SmtpSettings.from_env())
        except ValueError as exc:
            raise Failure(str(exc)) from None
    else:
        raise Failure(f"unknown transport {config.transport!r}: outbox or smtp")
    clock = Clock(datetime.fromisoformat(config.at) if config.at else None)
    report = run_sends(
        ws,
        workspace.load_config(),
        transport,
        live=config.live,
        run_id=context.run_id,
        clock=clock,
        as_of=date.fromisoformat(config.as_of) if config.as_of else None,
        log=context.log.info,
    )
    return {
        "live": report.live,
        "would_send": report.would_send,
        "sent": report.sent,
        "held": report.held,
        "failed": report.failed,
        "skipped_claimed": report.skipped_claimed,
        "outcome_unknown": report.outcome_unknown,
        "tasks": report.tasks,
    }


@job(executor_def=in_process_executor, description="Send approved messages (dry run unless live).")
def send_job():
    send_approved(checked=check_send_queue())
