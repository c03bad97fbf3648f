"""Configuration as data: the YAML files of a workspace, validated by pydantic.

Every error names the file, the key and what is wrong, so a user can fix the
file without reading this module.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from core.reference import reply_task_classes

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,62}$")]


class ConfigError(ValueError):
    """A configuration file is missing, unreadable or invalid."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=True)


class LeadSourceType(StrEnum):
    """The framework's list of possible lead sources (layer 2)."""

    INBOUND_FORM = "Inbound Form"
    WEBSITE_INQUIRY = "Website Inquiry"
    REFERRAL = "Referral"
    EVENT = "Event"
    NEWSLETTER_RESPONSE = "Newsletter Response"
    CRM = "CRM"
    APPROVED_BUSINESS_DIRECTORY = "Approved Business Directory"
    PUBLIC_COMPANY_WEBSITE = "Public Company Website"
    AUTHORISED_DATABASE = "Authorised Database"
    CLIENT_PROVIDED_LIST = "Client-Provided List"
    PARTNER_INTRODUCTION = "Partner Introduction"
    PREVIOUS_SALES_CONVERSATION = "Previous Sales Conversation"
    RESEARCH_BRAIN_OUTPUT = "Research Brain Output"
    DATA_BRAIN_EXTRACTION = "Data Brain Extraction Workflow"


class PermissionType(StrEnum):
    CONSENT = "Consent"
    EXISTING_CUSTOMER = "Existing Customer"
    INBOUND_REQUEST = "Inbound Request"
    LEGITIMATE_INTEREST = "Legitimate Interest"
    REFERRAL_INTRODUCTION = "Referral Introduction"
    NONE = "None"


class PermittedUse(StrEnum):
    RESEARCH_ONLY = "Research Only"
    ONE_TO_ONE_OUTREACH = "One-To-One Outreach"
    MARKETING = "Marketing"
    FOLLOW_UP_ONLY = "Follow-Up Only"


class CollectionMethod(StrEnum):
    FORM_SUBMISSION = "Form Submission"
    MANUAL_RESEARCH = "Manual Research"
    LICENSED_DATA = "Licensed Data"
    CRM_EXPORT = "CRM Export"
    INTRODUCTION = "Introduction"
    EVENT_SCAN = "Event Scan"


class Channel(StrEnum):
    EMAIL = "email"
    LINKEDIN = "linkedin"
    PHONE = "phone"
    SMS = "sms"
    WHATSAPP = "whatsapp"
    VOICE_NOTE = "voice_note"


class SendAuthority(StrEnum):
    """The framework's authority levels (Human Review And Send Authority Layer)."""

    RESEARCH_ONLY = "Research Only"
    DRAFT_ONLY = "Draft Only"
    HUMAN_APPROVED_SEND = "Human Approved Send"
    APPROVED_TEMPLATE_AUTOMATION = "Approved Template Automation"
    RESTRICTED = "Restricted"


class MessageType(StrEnum):
    FIRST_TOUCH = "First Touch"
    VALUE_ADD_FOLLOW_UP = "Value Add Follow-Up"
    DIAGNOSTIC_OFFER = "Diagnostic Offer"
    PROPOSAL_FOLLOW_UP = "Proposal Follow-Up"
    APPOINTMENT_FOLLOW_UP = "Appointment Follow-Up"
    REACTIVATION = "Reactivation"
    CLOSEOUT = "Closeout"


# sources whose personal data was not collected from the person themselves
THIRD_PARTY_SOURCES = frozenset(
    {
        LeadSourceType.REFERRAL,
        LeadSourceType.APPROVED_BUSINESS_DIRECTORY,
        LeadSourceType.PUBLIC_COMPANY_WEBSITE,
        LeadSourceType.AUTHORISED_DATABASE,
        LeadSourceType.CLIENT_PROVIDED_LIST,
        LeadSourceType.PARTNER_INTRODUCTION,
        LeadSourceType.RESEARCH_BRAIN_OUTPUT,
        LeadSourceType.DATA_BRAIN_EXTRACTION,
    }
)


class LeadSource(Strict):
    """One registered lead source: no source, no row past quarantine."""

    source_id: Identifier
    name: str
    owner: str
    source_type: LeadSourceType
    permission_type: PermissionType
    permitted_use: PermittedUse
    is_public: bool
    collection_method: CollectionMethod
    jurisdiction: Annotated[str, Field(pattern=r"^[A-Z]{2}$|^EU$")]
    reviewed_on: date | None = None
    compliance_status: str = "Reviewed"
    existing_relationship: bool = False
    # GDPR Art. 14: the first message to a person whose data came from this source (when it
    # was not collected from them) carries this notice; its version is its content hash
    notice: str | None = None

    @property
    def is_third_party(self) -> bool:
        """The data was not obtained from the person: Art. 14 applies."""
        return self.source_type in THIRD_PARTY_SOURCES

    @property
    def notice_version(self) -> str | None:
        return hashlib.sha256(self.notice.encode()).hexdigest()[:12] if self.notice else None


class Claim(Strict):
    claim_id: Identifier
    text: str
    proof: str


class Cta(Strict):
    cta_id: Identifier
    text: str


class ApprovedAnswer(Strict):
    """An approved answer to a common question or objection (framework: governed
    responses). A response draft may use its text, word for word, when one of its keywords
    is in the reply; a reply no approved answer fits is answered by a person."""

    answer_id: Identifier
    answers: Literal["Question", "Objection"]
    keywords: list[str] = Field(min_length=1)
    text: str = Field(min_length=10)


class Offer(Strict):
    """Market and offer (framework layer 1): no prospecting until these are clear."""

    offer_id: Identifier
    name: str
    target_market: str
    buyer_roles: list[str] = Field(min_length=1)
    business_types: list[str] = Field(min_length=1)
    countries: list[str] = Field(min_length=1)
    problem: str
    desired_outcome: str
    approved_claims: list[Claim] = Field(min_length=1)
    ctas: list[Cta] = Field(min_length=1)
    qualification_criteria: list[str] = Field(min_length=1)
    disqualification_criteria: list[str] = Field(min_length=1)
    approved_answers: list[ApprovedAnswer] = []
    # the CTA an Interested reply is answered with (toward booking); unset: the last CTA
    booking_cta_id: Identifier | None = None

    @model_validator(mode="after")
    def _booking_cta_known(self) -> Offer:
        ids = [c.cta_id for c in self.ctas]
        if self.booking_cta_id is not None and self.booking_cta_id not in ids:
            raise ValueError(f"booking_cta_id: {self.booking_cta_id!r} is not one of {ids}")
        return self

    @property
    def booking_cta(self) -> Cta:
        return next((c for c in self.ctas if c.cta_id == self.booking_cta_id), self.ctas[-1])


class SequenceStep(Strict):
    """One step: its purpose, wait, and the message template (Jinja2, sandboxed).

    A template may use: first_name, last_name, company_name, role, evidence (the one
    safe observation), inquiry (the same text when it is what the person asked us on an
    inbound form, else empty), claim (the approved claim's text), cta (the one CTA's
    text), sender_name, sender_company. The opt-out line and the sender's signature are
    added by drafting, never left to the template."""

    step: Annotated[int, Field(ge=1)]
    message_type: MessageType
    purpose: str
    wait_days: Annotated[int, Field(ge=0, le=365)]
    subject: str | None = None
    body: str = Field(min_length=1)
    claim_id: Identifier | None = None
    cta_id: Identifier


class Sequence(Strict):
    sequence_id: Identifier
    purpose: str
    channel: Channel
    max_steps: Annotated[int, Field(ge=1, le=10)]
    steps: list[SequenceStep] = Field(min_length=1)

    @model_validator(mode="after")
    def _steps_are_ordered(self) -> Sequence:
        from jinja2 import TemplateSyntaxError
        from jinja2.sandbox import SandboxedEnvironment

        templates = SandboxedEnvironment()
        for step in self.steps:
            for part, text in (("subject", step.subject), ("body", step.body)):
                try:
                    templates.parse(text or "")
                except TemplateSyntaxError as exc:
                    raise ValueError(
                        f"step {step.step} {part}: not a valid template ({exc.message}, line "
                        f"{exc.lineno})"
                    ) from None
        numbers = [s.step for s in self.steps]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"steps must be numbered 1..{len(numbers)} in order, got {numbers}")
        if self.max_steps != len(self.steps):
            raise ValueError(
                f"max_steps is {self.max_steps} but {len(self.steps)} steps are defined"
            )
        if self.channel == Channel.EMAIL:
            missing = [s.step for s in self.steps if not s.subject]
            if missing:
                raise ValueError(f"email steps need a subject: step(s) {missing} have none")
        if self.steps[-1].message_type != MessageType.CLOSEOUT:
            raise ValueError("the last step must be a Closeout: follow-up ends respectfully")
        return self


class SendWindow(Strict):
    """Hours in the recipient's time zone (from their country, else `timezone`)."""

    start_hour: Annotated[int, Field(ge=0, le=23)] = 9
    end_hour: Annotated[int, Field(ge=1, le=24)] = 17
    weekdays_only: bool = True
    timezone: str = "Europe/London"
    country_timezones: dict[str, str] = {
        "GB": "Europe/London",
        "IE": "Europe/Dublin",
        "US": "America/New_York",
        "FR": "Europe/Paris",
        "DE": "Europe/Berlin",
        "ES": "Europe/Madrid",
        "NL": "Europe/Amsterdam",
    }

    @model_validator(mode="after")
    def _window_is_open(self) -> SendWindow:
        if self.end_hour <= self.start_hour:
            raise ValueError(f"end_hour {self.end_hour} must be after start_hour {self.start_hour}")
        return self


class Reactivation(Strict):
    """A reactivation campaign's audience (framework message type Reactivation): people a
    conversation paused with, and only them. `not_now`: a Not Now reply whose review date
    has come. `closed_lost_after_days`: lost (deal_lost or proposal_declined) at least this
    many days ago. Everything else still applies: audience filters, qualification,
    permission, suppression, safe evidence."""

    not_now: bool = True
    closed_lost_after_days: Annotated[int, Field(ge=1, le=3650)] | None = None


class PilotGate(Strict):
    """The framework's Pilot Before Scale checks: the campaign sends at most `pilot_size`
    messages in all until every check passes on measured figures (marts.pilot_gate)."""

    pilot_size: Annotated[int, Field(ge=1)] = 50
    # messages are relevant: share of reviewed drafts a reviewer approved
    min_approval_rate: Annotated[float, Field(ge=0, le=1)] = 0.6
    # personalisation is accurate: share of approvals the reviewer had to edit
    max_edit_rate: Annotated[float, Field(ge=0, le=1)] = 0.3
    max_bounce_rate: Annotated[float, Field(ge=0, le=1)] = 0.02
    max_complaint_rate: Annotated[float, Field(ge=0, le=1)] = 0.001
    min_positive_reply_rate: Annotated[float, Field(ge=0, le=1)] = 0.02
    min_qualified_bookings: Annotated[int, Field(ge=0)] = 1
    # human review remains manageable: no draft waits longer than this for a decision
    max_review_wait_days: Annotated[int, Field(ge=0)] = 3


class Deliverability(Strict):
    """Thresholds the deliverability monitor holds a campaign to over a rolling window.
    Defaults follow the large mailbox providers' bulk-sender rules: spam complaints
    under 0.1%, never 0.3%. A campaign that crosses a threshold is paused: the send job
    refuses it until the rate falls back under."""

    window_days: Annotated[int, Field(ge=1, le=365)] = 30
    max_bounce_rate: Annotated[float, Field(ge=0, le=1)] = 0.02
    max_complaint_rate: Annotated[float, Field(ge=0, le=1)] = 0.001
    never_complaint_rate: Annotated[float, Field(ge=0, le=1)] = 0.003


class Sender(Strict):
    """Who a message is from: named in every draft, with a postal address (CAN-SPAM), and
    where a one-click unsubscribe goes (RFC 8058): a mailbox and an https URL."""

    name: str
    email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    company: str
    postal_address: str
    unsubscribe_email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None
    unsubscribe_url: Annotated[str, Field(pattern=r"^https://[^\s]+$")] | None = None


class ExperimentArm(Strict):
    """One arm of a split step. The first arm is the control: the step as configured.
    Another arm may change the CTA, the message's purpose (its subject and body
    template) or the timing (the wait before the step) - never the claim, never the
    send authority."""

    arm_id: Identifier
    weight: Annotated[int, Field(ge=1, le=100)] = 1
    cta_id: Identifier | None = None
    purpose: str | None = None
    subject: str | None = None
    body: str | None = None
    wait_days: Annotated[int, Field(ge=0, le=365)] | None = None

    @model_validator(mode="before")
    @classmethod
    def _never_claim_or_authority(cls, data: Any) -> Any:
        if isinstance(data, dict):
            forbidden = sorted({"claim_id", "claim", "send_authority"} & set(data))
            if forbidden:
                raise ValueError(
                    f"a variant never changes a claim or the send authority: remove {forbidden}"
                )
        return data


class ExperimentMetric(StrEnum):
    REPLY_RATE = "reply_rate"
    POSITIVE_REPLY_RATE = "positive_reply_rate"
    QUALIFIED_BOOKING_RATE = "qualified_booking_rate"


class Experiment(Strict):
    """A controlled experiment on one step of the campaign's sequence: each prospect is
    assigned one arm, deterministically (a hash of experiment and prospect), so a rerun
    or a redraft never moves them. The funnel marts report each arm against the control."""

    experiment_id: Identifier
    step: Annotated[int, Field(ge=1)]
    hypothesis: str
    primary_metric: ExperimentMetric = ExperimentMetric.POSITIVE_REPLY_RATE
    significance_level: Annotated[float, Field(gt=0, lt=0.5)] = 0.05
    # below this many prospects sent the step in an arm (or the control), no winner is named
    min_sample_per_arm: Annotated[int, Field(ge=1)] = 100
    arms: list[ExperimentArm] = Field(min_length=2)

    @model_validator(mode="after")
    def _arms(self) -> Experiment:
        from jinja2 import TemplateSyntaxError
        from jinja2.sandbox import SandboxedEnvironment

        ids = [a.arm_id for a in self.arms]
        if len(set(ids)) != len(ids):
            raise ValueError(f"arms: duplicate arm_id in {ids}")
        control = self.arms[0]
        if any(
            getattr(control, f) is not None
            for f in ("cta_id", "purpose", "subject", "body", "wait_days")
        ):
            raise ValueError(f"arms[0] ({control.arm_id}) is the control: it changes nothing")
        for arm in self.arms:
            for part in ("subject", "body"):
                try:
                    SandboxedEnvironment().parse(getattr(arm, part) or "")
                except TemplateSyntaxError as exc:
                    raise ValueError(
                        f"arm {arm.arm_id} {part}: not a valid template ({exc.message}, line "
                        f"{exc.lineno})"
                    ) from None
        return self


class Campaign(Strict):
    """A campaign: offer x audience x sequence x channel x send authority."""

    campaign_id: Identifier
    name: str
    offer_id: Identifier
    audience: str
    sequence_id: Identifier
    channel: Channel
    send_authority: SendAuthority
    owner: str
    daily_cap: Annotated[int, Field(ge=0)] = 50
    per_domain_daily_cap: Annotated[int, Field(ge=1)] = 3
    min_gap_seconds: Annotated[int, Field(ge=0)] = 30
    approval_valid_days: Annotated[int, Field(ge=1, le=90)] = 7
    # undecided drafts a reviewer is given per day (default: the daily cap); the
    # framework sizes volume to review capacity, not to the list
    review_queue_size: Annotated[int, Field(ge=1)] | None = None
    send_window: SendWindow = SendWindow()
    pilot_gate: PilotGate = PilotGate()
    client_id: str | None = None
    sender: Sender
    # who the campaign is for: empty means no filter on that dimension
    audience_countries: list[Annotated[str, Field(pattern=r"^[A-Z]{2}$")]] = []
    audience_sources: list[Identifier] = []
    deliverability: Deliverability = Deliverability()
    # a reviewer's Park is reviewed again after this many days
    park_review_days: Annotated[int, Field(ge=1, le=365)] = 30
    # proposal follow-up: due after this many days without an answer; expired after
    proposal_follow_up_days: Annotated[int, Field(ge=1, le=90)] = 5
    proposal_valid_days: Annotated[int, Field(ge=1, le=365)] = 30
    # at most this many follow-ups of one proposal (each after proposal_follow_up_days)
    proposal_follow_ups: Annotated[int, Field(ge=0, le=5)] = 2
    # what one sent message costs (tools, data, review time), for cost per outcome
    cost_per_message: Annotated[float, Field(ge=0)] | None = None
    # controlled experiments: a step split into variants (at most one experiment a step)
    experiments: list[Experiment] = []
    # a reactivation campaign: its audience is only the people it names (Reactivation)
    reactivation: Reactivation | None = None
    # who writes the drafts: "model" is the language model when OUTREACH_LLM_BASE_URL,
    # OUTREACH_LLM_API_KEY and OUTREACH_LLM_MODEL are set (the template otherwise, and
    # whenever a model draft fails its checks); "template" never asks a model
    drafting: Literal["model", "template"] = "model"


class ScoringRule(Strict):
    """One qualification factor: a SQL-free rule a reviewer can read."""

    factor: str
    points: int
    when: dict[str, Any]


class Scoring(Strict):
    priority_one_min: int
    priority_two_min: int
    priority_three_min: int
    rules: list[ScoringRule] = Field(min_length=1)

    @model_validator(mode="after")
    def _thresholds_descend(self) -> Scoring:
        if not self.priority_one_min > self.priority_two_min > self.priority_three_min:
            raise ValueError(
                "thresholds must descend: priority_one_min > priority_two_min > priority_three_min"
            )
        return self


class ChannelRule(Strict):
    channel: Channel
    automated_send: bool
    requires_consent: bool = False
    note: str = ""


class JurisdictionRule(Strict):
    jurisdiction: str
    regime: str
    corporate_email_basis: PermissionType
    individual_email_requires_consent: bool
    legitimate_interest_assessment_ref: str | None = None


class ContactBudget(Strict):
    """How much contact one person gets across every campaign and channel (no
    cross-channel harassment): first touches on one day, whatever the channel."""

    first_touches_per_day: Annotated[int, Field(ge=1, le=5)] = 1


class Channels(Strict):
    channels: list[ChannelRule] = Field(min_length=1)
    contact_budget: ContactBudget = ContactBudget()
    jurisdictions: list[JurisdictionRule] = Field(min_length=1)
    free_mail_domains: list[str] = Field(min_length=1)
    role_address_local_parts: list[str] = Field(min_length=1)


class EvidenceCategory(Strict):
    """How one category of observation ages, and whether it is sensitive."""

    category: str
    max_age_days: Annotated[int, Field(ge=1)] | None = None
    sensitive: bool = False


class EvidenceRules(Strict):
    """When evidence may be mentioned (framework layer 4): freshness and sensitivity.

    AI Inference and Unverified Claim are never mentionable whatever is set here: that
    rule is the `evidence_classes` seed, not configuration."""

    max_age_days: Annotated[int, Field(ge=1)] = 180
    min_confidence: Annotated[float, Field(ge=0, le=1)] = 0.7
    categories: list[EvidenceCategory] = []

    @model_validator(mode="after")
    def _categories_unique(self) -> EvidenceRules:
        names = [c.category for c in self.categories]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"categories: duplicate category {dupes}")
        return self


class Messaging(Strict):
    """The Message Quality Standard as data: the opt-out line, limits, and the
    patterns (regular expressions, case-insensitive) a message must not contain."""

    opt_out_line: str = Field(min_length=10)
    voice_note_disclosure: str = Field(min_length=10)
    max_subject_chars: Annotated[int, Field(ge=10)] = 80
    max_body_chars: dict[Channel, Annotated[int, Field(ge=50)]]
    banned_patterns: dict[str, list[str]]

    @model_validator(mode="after")
    def _patterns_compile(self) -> Messaging:
        for rule, patterns in self.banned_patterns.items():
            for i, pattern in enumerate(patterns):
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise ValueError(
                        f"banned_patterns.{rule}[{i}]: not a regular expression ({exc})"
                    ) from None
        missing = sorted(str(c) for c in set(Channel) - set(self.max_body_chars))
        if missing:
            raise ValueError(f"max_body_chars: no limit for channel(s) {missing}")
        return self


class Privacy(Strict):
    """Data-subject rights (privacy.yml, optional): prospects with no activity for
    `retention_inactive_days` are pseudonymised by the daily run."""

    retention_inactive_days: Annotated[int, Field(ge=30, le=3650)] = 730


class ReplyRoute(Strict):
    """Who answers one class of human reply, and how soon."""

    # unset: the Reply Action Map's routes_to (seed reply_actions), the campaign's owner
    # where it names none
    owner: str | None = Field(default=None, min_length=1)
    # unset: the seed's respond_within_hours for the class
    respond_within_hours: Annotated[int, Field(ge=1, le=24 * 30)] | None = None


class Replies(Strict):
    """Reply routing (replies.yml, optional): every human reply becomes a task for a
    person (marts.reply_tasks). A reply the classifier doubts (Unknown, or confidence
    below `human_first_below`) goes to `first_reader` before anyone answers it."""

    human_first_below: Annotated[float, Field(ge=0, le=1)] = 0.7
    first_reader: str = Field(default="reviewer", min_length=1)
    # a doubtful reply's words are shown to the language model (OUTREACH_LLM_*) for a
    # second opinion on its class (assets/inbound/second_opinion.py); off unless set
    model_second_opinion: bool = False
    classes: dict[str, ReplyRoute] = {}

    @model_validator(mode="after")
    def _classes_known(self) -> Replies:
        known = reply_task_classes()
        unknown = sorted(set(self.classes) - set(known))
        if unknown:
            raise ValueError(
                f"classes: {unknown} is not a reply class that makes a task; use one of "
                f"{list(known)}"
            )
        return self


class OutreachConfig(Strict):
    """All configuration of one workspace, cross-checked."""

    sources: list[LeadSource] = Field(min_length=1)
    offers: list[Offer] = Field(min_length=1)
    sequences: list[Sequence] = Field(min_length=1)
    campaigns: list[Campaign] = Field(min_length=1)
    scoring: Scoring
    channels: Channels
    evidence: EvidenceRules
    messaging: Messaging
    privacy: Privacy = Privacy()
    replies: Replies = Replies()
    version: str = ""

    @model_validator(mode="after")
    def _references_resolve(self) -> OutreachConfig:
        for name, items, key in (
            ("sources", self.sources, "source_id"),
            ("offers", self.offers, "offer_id"),
            ("sequences", self.sequences, "sequence_id"),
            ("campaigns", self.campaigns, "campaign_id"),
        ):
            ids = [getattr(item, key) for item in items]
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                raise ValueError(f"{name}: duplicate {key} {dupes}")
        offers = {o.offer_id for o in self.offers}
        sequences = {s.sequence_id: s for s in self.sequences}
        for i, campaign in enumerate(self.campaigns):
            if campaign.offer_id not in offers:
                raise ValueError(
                    f"campaigns[{i}] ({campaign.campaign_id}).offer_id: unknown offer "
                    f"{campaign.offer_id!r}; known: {sorted(offers)}"
                )
            sequence = sequences.get(campaign.sequence_id)
            if sequence is None:
                raise ValueError(
                    f"campaigns[{i}] ({campaign.campaign_id}).sequence_id: unknown sequence "
                    f"{campaign.sequence_id!r}; known: {sorted(sequences)}"
                )
            offer = next(o for o in self.offers if o.offer_id == campaign.offer_id)
            claims = {c.claim_id for c in offer.approved_claims}
            ctas = {c.cta_id for c in offer.ctas}
            for step in sequence.steps:
                where = (
                    f"campaigns[{i}] ({campaign.campaign_id}): sequence {sequence.sequence_id} "
                    f"step {step.step}"
                )
                if step.claim_id is not None and step.claim_id not in claims:
                    raise ValueError(
                        f"{where}: claim_id {step.claim_id!r} is not an approved claim of offer "
                        f"{offer.offer_id}; approved: {sorted(claims)}"
                    )
                if step.cta_id not in ctas:
                    raise ValueError(
                        f"{where}: cta_id {step.cta_id!r} is not a CTA of offer {offer.offer_id}; "
                        f"known: {sorted(ctas)}"
                    )
            if campaign.reactivation is not None and (
                sequence.steps[0].message_type != MessageType.REACTIVATION
            ):
                raise ValueError(
                    f"campaigns[{i}] ({campaign.campaign_id}).reactivation: its sequence "
                    f"{sequence.sequence_id} must open with a Reactivation message (step 1 is "
                    f"{sequence.steps[0].message_type}): it reopens a paused conversation"
                )
            steps_split = [e.step for e in campaign.experiments]
            for e in campaign.experiments:
                at = f"campaigns[{i}] ({campaign.campaign_id}).experiments ({e.experiment_id})"
                if e.step > len(sequence.steps):
                    raise ValueError(
                        f"{at}: step {e.step} is not a step of sequence {sequence.sequence_id}"
                    )
                if steps_split.count(e.step) > 1:
                    raise ValueError(f"{at}: step {e.step} is split by more than one experiment")
                for arm in e.arms:
                    if arm.cta_id is not None and arm.cta_id not in ctas:
                        raise ValueError(
                            f"{at}: arm {arm.arm_id} cta_id {arm.cta_id!r} is not a CTA of offer "
                            f"{offer.offer_id}; known: {sorted(ctas)}"
                        )
            experiment_ids = [e.experiment_id for c in self.campaigns for e in c.experiments]
            if len(set(experiment_ids)) != len(experiment_ids):
                raise ValueError(f"experiments: duplicate experiment_id in {experiment_ids}")
            unknown_sources = sorted(set(campaign.audience_sources) - set(self.source_ids()))
            if unknown_sources:
                raise ValueError(
                    f"campaigns[{i}] ({campaign.campaign_id}).audience_sources: unknown source(s) "
                    f"{unknown_sources}; known: {sorted(self.source_ids())}"
                )
            if sequence.channel != campaign.channel:
                raise ValueError(
                    f"campaigns[{i}] ({campaign.campaign_id}).channel: {campaign.channel!r} "
                    f"differs from its sequence's channel {sequence.channel!r}"
                )
        return self

    def source_ids(self) -> list[str]:
        return [s.source_id for s in self.sources]


# One file per part of the configuration; the key inside each file is the same name.
CONFIG_FILES: dict[str, str] = {
    "sources": "sources.yml",
    "offers": "offers.yml",
    "sequences": "sequences.yml",
    "campaigns": "campaigns.yml",
    "scoring": "scoring.yml",
    "channels": "channels.yml",
    "evidence": "evidence.yml",
    "messaging": "messaging.yml",
    "privacy": "privacy.yml",
    "replies": "replies.yml",
}
# files a workspace may leave out: their defaults apply
OPTIONAL_FILES = frozenset({"privacy", "replies"})


def _location(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: file is missing (every workspace needs it)") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ConfigError(f"{path}: not valid YAML{where}: {exc}") from None


# configs already validated, by their files' exact bytes: a daily run reads the config
# in a dozen places (~80 ms each to parse and validate); an edited file is a new key
_VALIDATED: dict[tuple, OutreachConfig] = {}
_KEEP_VALIDATED = 8


def _contents(config_dir: Path) -> tuple:
    found = []
    for filename in CONFIG_FILES.values():
        try:
            found.append((filename, (config_dir / filename).read_bytes()))
        except OSError:
            found.append((filename, None))
    return (str(config_dir.resolve()), tuple(found))


def load_config(config_dir: Path) -> OutreachConfig:
    """Read and validate every config file in `config_dir`; raise one ConfigError naming
    every missing file and every error of every file (one line each), not the first."""
    config_dir = Path(config_dir)
    key = _contents(config_dir)
    if (known := _VALIDATED.get(key)) is not None:
        return known
    config = _load_config(config_dir)
    if len(_VALIDATED) >= _KEEP_VALIDATED:
        _VALIDATED.pop(next(iter(_VALIDATED)))
    _VALIDATED[key] = config
    return config


def _load_config(config_dir: Path) -> OutreachConfig:
    raw: dict[str, Any] = {}
    problems: list[str] = []
    digest = hashlib.sha256()
    for part, filename in CONFIG_FILES.items():
        path = config_dir / filename
        if part in OPTIONAL_FILES and not path.exists():
            continue
        try:
            raw[part] = _read_part(path, part)
        except ConfigError as exc:
            problems.append(str(exc))
            continue
        digest.update(path.read_bytes())
    if problems:
        raise ConfigError("\n".join(problems))
    try:
        return OutreachConfig(**raw, version=digest.hexdigest()[:16])
    except ValidationError as exc:
        raise ConfigError(_describe(config_dir, "", exc)) from None


def _read_part(path: Path, part: str) -> Any:
    """One file's part, validated alone so an error names the file it is in."""
    data = _read_yaml(path)
    if not isinstance(data, dict) or part not in data:
        raise ConfigError(f"{path}: expected a mapping with the top-level key '{part}:'")
    unknown = sorted(set(data) - {part})
    if unknown:
        raise ConfigError(f"{path}: unknown top-level key(s) {unknown}; only '{part}' belongs here")
    field = OutreachConfig.model_fields[part]
    try:
        TypeAdapter(field.annotation).validate_python(data[part])
    except ValidationError as exc:
        raise ConfigError(_describe(path, part, exc)) from None
    return data[part]


def _describe(path: Path, part: str, exc: ValidationError) -> str:
    lines = []
    for error in exc.errors():
        loc = _location(((part,) if part else ()) + tuple(error["loc"]))
        got = error.get("input")
        shown = "" if isinstance(got, dict | list) else f" (got {got!r})"
        lines.append(f"{path}: {loc}: {error['msg']}{shown}")
    return "\n".join(lines)
