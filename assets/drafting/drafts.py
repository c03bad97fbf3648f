"""Drafting: each draft candidate's next sequence step, rendered for its channel.

The template path (the default, standing alone): a sandboxed Jinja2 template from the
sequence step, at most the one safe evidence point the candidates mart chose (cited by
evidence_id), the step's approved claim, exactly one CTA, the sender's identity and,
for email, the opt-out line. With a language model configured (assets/drafting/
model_writer.py), a campaign's drafts are the model's words from the same facts, kept
only when every sentence rests on them (lint rule ungrounded_statement), the template
otherwise. Every draft is linted (core/message_lint.py). Draft is not send: nothing
here sends anything."""

import json
from dataclasses import replace
from datetime import date
from functools import partial

import duckdb
import polars as pl
from dagster import AssetExecutionContext, AssetKey, BackfillPolicy, MaterializeResult, asset
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from assets.drafting.message import (
    DELIVERY,
    communication_id,
    compose,
    content_hash,
    review_token,
)
from assets.drafting.model_writer import ModelDraft, ModelWriter, PromptFacts, writer_from_env
from assets.drafting.proposal_follow_ups import render_proposal_follow_ups
from assets.drafting.responses import render_responses
from core.config import Campaign, Channel, ExperimentArm, LeadSource, OutreachConfig
from core.grounding import Ground, check_sentences
from core.message_lint import LintResult, MessageContext, lint_message
from core.normalise import visible
from core.partitions import daily_partitions, run_date
from core.resources import WarehouseResource, WorkspaceResource
from core.schema import ensure_operational_tables, table_exists

TEMPLATES = SandboxedEnvironment(
    undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False
)


def arm_of(
    campaign: Campaign, experiment_id: str | None, arm_id: str | None
) -> ExperimentArm | None:
    """The experiment arm the candidates mart assigned (None outside an experiment)."""
    for experiment in campaign.experiments:
        if experiment.experiment_id == experiment_id:
            return next((a for a in experiment.arms if a.arm_id == arm_id), None)
    return None


def notice_for(source: LeadSource | None, was_contacted: bool) -> LeadSource | None:
    """The source whose Art. 14 notice this message carries: a first message to a person
    whose data came from a third-party source (with a notice configured)."""
    if source is None or was_contacted or not source.is_third_party or not source.notice:
        return None
    return source


# what a template draft records of its writing; a model draft fills the same columns
TEMPLATE_RECORD: dict[str, object] = {
    "drafted_by": "template",
    "draft_model": None,
    "prompt_hash": None,
    "model_attempts": 0,
    "model_fallback_reason": None,
    "model_text": None,
    "sentence_sources": None,
}


def model_record(made: ModelDraft, grounds: tuple[Ground, ...]) -> dict[str, object]:
    """The record of a model's draft: provider, model, prompt hash, attempts, why the
    template was used (if it was), and which ground each of its sentences rests on."""
    sources = (
        json.dumps(
            [
                {"sentence": x.sentence, "rests_on": x.rests_on}
                for x in check_sentences(made.text, grounds)
            ],
            ensure_ascii=False,
        )
        if made.text is not None
        else None
    )
    return {
        "drafted_by": f"model ({made.provider})" if made.text is not None else "template",
        "draft_model": made.model,
        "prompt_hash": made.prompt_hash,
        "model_attempts": sum(1 for a in made.attempts if a.outcome != "reused"),
        "model_fallback_reason": made.fallback_reason,
        "model_text": made.text,
        "sentence_sources": sources,
    }


def lint_model_text(
    text: str,
    *,
    campaign: Campaign,
    channel: Channel,
    subject: str | None,
    notice: str | None,
    context: MessageContext,
    config: OutreachConfig,
) -> LintResult:
    """A model's text as it would go out (signature, opt-out, notice added), linted with
    every rule and the grounding check."""
    return lint_message(
        subject, compose(campaign, channel, text, config, notice), context, config.messaging
    )


def render_drafts(
    candidates: pl.DataFrame,
    unsafe: pl.DataFrame,
    earlier: pl.DataFrame,
    config: OutreachConfig,
    as_of: date,
    cta_changes: dict[str, int] | None = None,
    writer: ModelWriter | None = None,
    attempts: list[dict] | None = None,
) -> pl.DataFrame:
    """One draft per candidate row (prospect x campaign) for its next step.
    `cta_changes`: Change CTA decisions per communication id. `writer`: the language
    model, when one is configured; each of its attempts is appended to `attempts`."""
    cta_changes = cta_changes or {}
    attempts = attempts if attempts is not None else []
    campaigns = {c.campaign_id: c for c in config.campaigns}
    sequences = {s.sequence_id: s for s in config.sequences}
    offers = {o.offer_id: o for o in config.offers}
    sources = {s.source_id: s for s in config.sources}
    unsafe_by_prospect = (
        {
            k[0]: tuple(v["observation"])
            for k, v in unsafe.partition_by("prospect_id", as_dict=True).items()
        }
        if unsafe.height
        else {}
    )
    earlier_by_key: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for r in earlier.iter_rows(named=True):
        earlier_by_key.setdefault((r["prospect_id"], r["campaign_id"]), []).append(
            (r["step"], r["body"])
        )
    rows = []
    for c in candidates.iter_rows(named=True):
        campaign = campaigns[c["campaign_id"]]
        sequence = sequences[campaign.sequence_id]
        offer = offers[campaign.offer_id]
        step = sequence.steps[c["next_step"] - 1]
        arm = arm_of(campaign, c.get("experiment_id"), c.get("arm_id"))
        # a variant may change the CTA, the purpose's wording and the timing; the claim is
        # always the step's own
        claim = next((x for x in offer.approved_claims if x.claim_id == step.claim_id), None)
        cta_id = (arm.cta_id if arm else None) or step.cta_id
        # each Change CTA decision on this message moves it to the offer's next CTA
        communication = communication_id(c["prospect_id"], c["campaign_id"], step.step)
        changes = cta_changes.get(communication, 0)
        if changes:
            ids = [x.cta_id for x in offer.ctas]
            cta_id = ids[(ids.index(cta_id) + changes) % len(ids)]
        cta = next(x for x in offer.ctas if x.cta_id == cta_id)
        subject_template = (arm.subject if arm else None) or step.subject
        body_template = (arm.body if arm else None) or step.body
        values = {
            "first_name": c["first_name"] or "there",
            "last_name": c["last_name"] or "",
            "company_name": c["company_name"] or "your business",
            "role": c["role"] or "",
            "evidence": c["evidence_observation"],
            # what the person asked us (an inbound form), when that is the evidence point
            "inquiry": c["evidence_observation"] if c.get("evidence_category") == "inquiry" else "",
            "claim": claim.text if claim else "",
            "cta": cta.text,
            "sender_name": campaign.sender.name,
            "sender_company": campaign.sender.company,
        }
        channel = Channel(campaign.channel)
        # a name or evidence carrying bidi or zero-width characters: the message says what
        # it shows (the reviewer approves, and the recipient reads, the same text)
        values = {k: visible(v) if isinstance(v, str) else v for k, v in values.items()}
        subject = (
            TEMPLATES.from_string(subject_template).render(values).strip()
            if subject_template
            else None
        )
        told = notice_for(sources.get(c.get("source_id")), bool(c.get("was_contacted")))
        notice = told.notice if told else None
        body = compose(
            campaign, channel, TEMPLATES.from_string(body_template).render(values), config, notice
        )
        recipient = (
            c["email"]
            if channel == Channel.EMAIL
            else (
                f"{c['first_name'] or ''} {c['last_name'] or ''} ({c['company_name'] or ''})"
            ).strip()
        )
        context = MessageContext(
            channel=channel,
            approved_claims=tuple(x.text for x in offer.approved_claims),
            ctas=tuple(x.text for x in offer.ctas),
            safe_evidence=(c["evidence_observation"],),
            unsafe_evidence=unsafe_by_prospect.get(c["prospect_id"], ()),
            # the same text may not be reused by a later step of the sequence
            earlier_bodies=tuple(
                b
                for n, b in earlier_by_key.get((c["prospect_id"], c["campaign_id"]), [])
                if n < step.step
            ),
            required_notice=notice,
        )
        lint = lint_message(subject, body, context, config.messaging)
        record = TEMPLATE_RECORD
        if writer is not None and campaign.drafting == "model":
            fixed_lines = compose(campaign, channel, "", config, notice)
            grounds = (
                Ground(
                    f"evidence {c['evidence_id']} ({c['evidence_class']}, "
                    f"{c.get('evidence_source_on')})",
                    values["evidence"] or "",
                ),
                *((Ground(f"approved claim {claim.claim_id}", claim.text),) if claim else ()),
                Ground(f"CTA {cta.cta_id}", cta.text),
                Ground("recipient", f"{values['first_name']} {values['company_name']}"),
                Ground("subject (template)", subject or ""),
                Ground("signature and fixed lines", fixed_lines),
            )
            facts = PromptFacts(
                first_name=values["first_name"],
                company_name=values["company_name"],
                evidence=values["evidence"],
                evidence_class=c["evidence_class"],
                evidence_date=str(c.get("evidence_source_on") or "") or None,
                claim=values["claim"] or None,
                cta=cta.text,
                message_type=str(step.message_type),
                step_purpose=step.purpose,
                max_chars=config.messaging.max_body_chars[channel] - len(fixed_lines),
            )

            made = writer.write(
                facts,
                partial(
                    lint_model_text,
                    campaign=campaign,
                    channel=channel,
                    subject=subject,
                    notice=notice,
                    context=replace(context, grounds=grounds),
                    config=config,
                ),
            )
            if made.text is not None:
                body = compose(campaign, channel, made.text, config, notice)
                lint = made.lint or lint
            record = model_record(made, grounds)
            for a in made.attempts:
                attempts.append(
                    {
                        "communication_id": communication,
                        "prospect_id": c["prospect_id"],
                        "campaign_id": c["campaign_id"],
                        "drafted_on": as_of,
                        "attempt": a.number,
                        "provider": made.provider,
                        "model": made.model,
                        "prompt_hash": made.prompt_hash,
                        "outcome": a.outcome,
                        "detail": a.detail,
                    }
                )
        digest = content_hash(channel, recipient or "", subject, body)
        rows.append(
            {
                "communication_id": communication,
                "prospect_id": c["prospect_id"],
                "campaign_id": c["campaign_id"],
                "step": step.step,
                "message_type": str(step.message_type),
                "channel": str(channel),
                "delivery": DELIVERY[channel],
                "send_authority": str(campaign.send_authority),
                "recipient": recipient,
                "subject": subject,
                "body": body,
                "evidence_id": c["evidence_id"],
                "evidence_class": c["evidence_class"],
                "claim_id": step.claim_id,
                "cta_id": cta_id,
                "experiment_id": c.get("experiment_id") if arm else None,
                "arm_id": arm.arm_id if arm else None,
                "content_hash": digest,
                "review_token": review_token(communication, digest),
                **lint.columns(),
                **record,
                "notice_source_id": told.source_id if told else None,
                "notice_version": told.notice_version if told else None,
                "config_version": config.version,
                "drafted_on": as_of,
                "answers_message": None,
            }
        )
    return pl.DataFrame(rows, infer_schema_length=None) if rows else pl.DataFrame()


def out_of_sequence_drafts(
    con: duckdb.DuckDBPyConnection, config: OutreachConfig, as_of: date
) -> pl.DataFrame:
    """Today's drafts beside the sequence (step 0), as rows of drafting.drafts: a response
    per reply an approved answer fits (marts.response_candidates) and a follow-up per
    proposal Follow-Up Due (marts.proposal_follow_up_candidates). One already claimed for
    sending is not drafted again."""
    rendered = [
        (row, "template:response")
        for row in render_responses(
            con.sql("select * from marts.response_candidates order by all").pl(), config
        )
    ]
    if table_exists(con, "marts", "proposal_follow_up_candidates"):
        rendered += [
            (row, "template:proposal")
            for row in render_proposal_follow_ups(
                con.sql("select * from marts.proposal_follow_up_candidates order by all").pl(),
                config,
            )
        ]
    claimed = {
        c
        for (c,) in con.execute(
            "select communication_id from send.claims where communication_id in (select unnest(?))",
            [[r["communication_id"] for r, _ in rendered]],
        ).fetchall()
    }
    out = []
    for r, drafted_by in rendered:
        if r["communication_id"] in claimed:
            continue
        lint = r.pop("lint")
        digest = content_hash(r["channel"], r["recipient"], r["subject"], r["body"])
        out.append(
            r
            | {
                "delivery": DELIVERY[Channel.EMAIL],
                "evidence_class": None,
                "experiment_id": None,
                "arm_id": None,
                "content_hash": digest,
                "review_token": review_token(r["communication_id"], digest),
                **lint.columns(),
                **TEMPLATE_RECORD,
                "drafted_by": drafted_by,
                "notice_source_id": None,
                "notice_version": None,
                "config_version": config.version,
                "drafted_on": as_of,
            }
        )
    return pl.DataFrame(out, infer_schema_length=None) if out else pl.DataFrame()


# next_step comes from the sequence state before drafting (marts.draft_candidates): the
# step after the last sent, and a follow-up only once its wait has passed.
# Drafted each day: every candidate with a decision already (its approval must keep
# matching the content it was given for), and, per campaign, the best undecided
# candidates up to the campaign's review queue size: first whoever asked us something
# (their evidence point is their inquiry), then by priority.
CANDIDATES_SQL = """
with decided as (
    select distinct prospect_id, campaign_id from review.decisions
),
ranked as (
    select c.*, decided.prospect_id is not null as is_decided,
        row_number() over (
            partition by c.campaign_id, decided.prospect_id is not null
            order by c.evidence_category = 'inquiry' desc,
                case c.priority when 'Priority One' then 1 else 2 end, c.prospect_id
        ) as queue_rank
    from marts.draft_candidates as c
    left join decided using (prospect_id, campaign_id)
)
select r.prospect_id, r.campaign_id, r.evidence_id, r.evidence_class, r.evidence_category,
    r.evidence_observation, r.evidence_source_on,
    p.first_name, p.last_name, p.company_name, p.role, p.email, p.source_id,
    r.next_step, r.experiment_id, r.arm_id,
    -- anything sent to the person before, in any campaign: then this is not a first message
    exists (
        select 1 from send.records as s where s.prospect_id = r.prospect_id and s.sent_status =
        'sent'
    ) as was_contacted
from ranked as r
inner join marts.prospects as p using (prospect_id)
inner join (select unnest(?) as campaign_id, unnest(?) as queue_size) as sizes using (campaign_id)
where r.is_decided or r.queue_rank <= sizes.queue_size
order by r.prospect_id, r.campaign_id
"""


def draft_all(con: duckdb.DuckDBPyConnection, config: OutreachConfig, as_of: date) -> pl.DataFrame:
    """Render today's drafts, replace `drafting.drafts`, and remember every version."""
    ensure_operational_tables(con)
    sizes = {c.campaign_id: c.review_queue_size or c.daily_cap for c in config.campaigns}
    candidates = con.sql(CANDIDATES_SQL, params=[list(sizes), list(sizes.values())]).pl()
    # only for the prospects being drafted: the evidence mart has millions of rows at scale
    con.register("drafting_for", candidates.select("prospect_id", "campaign_id"))
    unsafe = con.sql(
        "select prospect_id, observation from marts.prospect_evidence "
        "where not is_safe_to_mention and prospect_id in (select prospect_id from drafting_for)"
    ).pl()
    earlier = con.sql(
        "select prospect_id, campaign_id, step, body from drafting.draft_history "
        "where (prospect_id, campaign_id) in (select (prospect_id, campaign_id) from drafting_for)"
    ).pl()
    cta_changes = dict(
        con.execute(
            "select communication_id, count(*) from review.decisions "
            "where decision = 'Change CTA' group by communication_id"
        ).fetchall()
    )
    writer = writer_from_env() if any(c.drafting == "model" for c in config.campaigns) else None
    if writer is not None:
        writer.known = dict(
            con.execute(
                "select prompt_hash, model_text from drafting.draft_history "
                "where prompt_hash is not null and model_text is not null "
                "and (prospect_id, campaign_id) in (select (prospect_id, campaign_id) "
                "from drafting_for) order by drafted_on"
            ).fetchall()
        )
    con.unregister("drafting_for")
    attempts: list[dict] = []
    drafts = render_drafts(
        candidates, unsafe, earlier, config, as_of, cta_changes, writer, attempts
    )
    responses = out_of_sequence_drafts(con, config, as_of)
    if responses.height:
        drafts = (
            pl.concat([drafts, responses], how="diagonal_relaxed") if drafts.height else responses
        )
    if drafts.height:  # a column no row fills is still text
        nullable = ("answers_message", "evidence_class", "experiment_id", "arm_id", "claim_id")
        nullable += ("evidence_id", "notice_source_id", "notice_version", "subject")
        nullable += ("draft_model", "prompt_hash", "model_fallback_reason", "model_text")
        nullable += ("sentence_sources",)
        drafts = drafts.with_columns(pl.col(nullable).cast(pl.String))
    con.execute("begin")
    if drafts.height:
        con.register("new_drafts", drafts)
        con.execute("create or replace table drafting.drafts as select * from new_drafts")
        con.execute(
            """insert into drafting.draft_history by name
            select communication_id, prospect_id, campaign_id, step, content_hash, subject, body,
                drafted_on, config_version, drafted_by, prompt_hash, model_text
            from new_drafts
            where (communication_id, content_hash) not in (select (communication_id, content_hash)
            from drafting.draft_history)"""
        )
        con.unregister("new_drafts")
    else:
        con.execute("delete from drafting.drafts")
    if attempts:  # the record of every model call, kept (drafting.drafts is replaced daily)
        con.register("new_attempts", pl.DataFrame(attempts, infer_schema_length=None))
        con.execute(
            "insert into drafting.model_attempts by name "
            "select *, current_timestamp as recorded_at from new_attempts"
        )
        con.unregister("new_attempts")
    con.execute("commit")
    return drafts


@asset(
    key=AssetKey(["drafting", "drafts"]),
    group_name="drafting",
    partitions_def=daily_partitions,
    backfill_policy=BackfillPolicy.multi_run(1),
    deps=[
        AssetKey(["marts", "draft_candidates"]),
        AssetKey(["marts", "prospects"]),
        AssetKey(["marts", "prospect_evidence"]),
        AssetKey(["marts", "response_candidates"]),
        AssetKey(["marts", "proposal_follow_up_candidates"]),
    ],
    kinds={"python", "duckdb"},
    description=(
        "drafting.drafts: one draft per draft candidate (prospect x campaign) for its next "
        "sequence step, from the step's template, and a response draft (step 0) per reply "
        "in marts.response_candidates an approved answer fits, and a proposal follow-up (step "
        "0) per proposal Follow-Up Due; with its communication_id, "
        "content_hash, "
        "review_token, the evidence it cites and one column per lint rule. "
        "drafting.draft_history keeps every version ever drafted. Nothing is sent."
    ),
)
def drafts(
    context: AssetExecutionContext, workspace: WorkspaceResource, warehouse: WarehouseResource
) -> MaterializeResult:
    config = workspace.load_config()
    with warehouse.connect() as con:
        made = draft_all(con, config, run_date(context))
    failing = made.filter(~pl.col("lint_passed")).height if made.height else 0
    by_rule = (
        {
            column: int((~made[column]).sum())
            for column in made.columns
            if column.startswith("lint_")
            and made[column].dtype == pl.Boolean
            and column != "lint_passed"
        }
        if made.height
        else {}
    )
    return MaterializeResult(
        metadata={
            "drafts": made.height,
            "failing_lint": failing,
            **{f"caught_{k}": v for k, v in by_rule.items()},
        }
    )
