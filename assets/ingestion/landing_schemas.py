"""What each kind of landing file must hold, as data the validator reads.

Column names, which must have a value, which are dates or timestamps, and the
allowed values of the enumerated ones. Columns a file brings beyond these are
kept (in the `extra` JSON column), never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.reference import business_event_types, evidence_classes

EVIDENCE_CLASSES = evidence_classes()
# business events from the calendar and the CRM (framework Appointment And Sales Action,
# Proposal Follow Up, CRM And Pipeline): each moves a sequence or a pipeline stage only
# with its evidence_ref (the calendar event, the proposal document, the CRM note). Besides
# them, a human's correction of a reply's class: evidence_ref names the inbound Message-ID,
# detail the class it should have had.
EVENT_TYPES = (*business_event_types(), "reply_reclassified")


@dataclass(frozen=True)
class LandingSchema:
    kind: str
    columns: tuple[str, ...]
    required_values: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    future_dates: tuple[str, ...] = ()  # dates that may lie after the run date
    timestamps: tuple[str, ...] = ()
    enums: dict[str, tuple[str, ...]] = field(default_factory=dict)
    numbers: dict[str, tuple[float, float]] = field(default_factory=dict)
    # what identifies a row: at least one of these has a value (a tuple: all its columns do)
    one_of: tuple[str | tuple[str, ...], ...] = ()
    registered_source: bool = False
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    # header spellings from exports and hand-made files, read as the column they mean
    aliases: dict[str, str] = field(default_factory=dict)


EMAIL_ALIASES = {
    "e-mail": "email",
    "e_mail": "email",
    "email_address": "email",
    "e-mail_address": "email",
    "emailaddress": "email",
    "mail": "email",
}
SCHEMAS: dict[str, LandingSchema] = {
    "leads": LandingSchema(
        kind="leads",
        columns=(
            "source_id",
            "source_record",
            "captured_on",
            "first_name",
            "last_name",
            "email",
            "phone",
            "company_name",
            "company_website",
            "role",
            "country",
            "city",
            # what the person asked, in their words (a form's or website inquiry's answers)
            "inquiry",
        ),
        required_values=("source_id", "source_record", "captured_on"),
        dates=("captured_on",),
        # a person with neither address nor phone is kept when a name and a city can find them
        one_of=("email", "phone", "company_name", ("first_name", "last_name", "city")),
        registered_source=True,
        aliases=EMAIL_ALIASES
        | {"company": "company_name", "website": "company_website"}
        | dict.fromkeys(
            ("form_answer", "message", "enquiry", "question", "comments", "your_message"),
            "inquiry",
        ),
        emails=("email",),
        phones=("phone",),
    ),
    "intelligence": LandingSchema(
        kind="intelligence",
        columns=(
            "evidence_ref",
            "email",
            "company_domain",
            "category",
            "observation",
            "evidence_class",
            "source_name",
            "source_url",
            "source_date",
            "confidence",
            "is_sensitive",
        ),
        required_values=("evidence_ref", "observation", "evidence_class", "source_date"),
        dates=("source_date",),
        enums={"evidence_class": EVIDENCE_CLASSES, "is_sensitive": ("true", "false")},
        numbers={"confidence": (0.0, 1.0)},
        one_of=("email", "company_domain"),
        emails=("email",),
        domains=("company_domain",),
    ),
    "signals": LandingSchema(
        kind="signals",
        columns=(
            "signal_ref",
            "company_domain",
            "signal_type",
            "description",
            "source_url",
            "observed_on",
            "expires_on",
        ),
        required_values=(
            "signal_ref",
            "company_domain",
            "signal_type",
            "observed_on",
            "expires_on",
        ),
        dates=("observed_on", "expires_on"),
        future_dates=("expires_on",),
        domains=("company_domain",),
    ),
    "suppressions": LandingSchema(
        kind="suppressions",
        columns=(
            "suppression_ref",
            "email",
            "domain",
            "phone",
            "reason",
            "scope",
            "scope_value",
            "effective_at",
            "requested_by",
        ),
        # a row that means "stop" stops even when malformed: only a key must be there;
        # reason, scope and date are read by assets/ingestion/suppression_input.py, doubt to a human
        one_of=("email", "domain", "phone"),
        aliases=EMAIL_ALIASES
        | {
            "phone_number": "phone",
            "mobile": "phone",
            "telephone": "phone",
            "company_domain": "domain",
            "website": "domain",
            "date": "effective_at",
            "effective_date": "effective_at",
            "effective_on": "effective_at",
            "suppressed_at": "effective_at",
            "unsubscribed_at": "effective_at",
            "created_at": "effective_at",
            "ref": "suppression_ref",
            "id": "suppression_ref",
            "status": "reason",
            "type": "reason",
        },
        emails=("email",),
        phones=("phone",),
        domains=("domain",),
    ),
    "events": LandingSchema(
        kind="events",
        columns=(
            "event_ref",
            "event_type",
            "occurred_at",
            "email",
            "campaign_id",
            "communication_id",
            "evidence_ref",
            "detail",
            "value",
            # a proposal_sent event's record (framework Proposal Follow Up Standard): its
            # version, what it covers and who owns it; `value` is its price
            "proposal_version",
            "scope_summary",
            "owner",
        ),
        required_values=("event_ref", "event_type", "occurred_at", "evidence_ref"),
        timestamps=("occurred_at",),
        # opportunity value (proposal_sent, deal_won), in the campaign's currency
        numbers={"value": (0, 1e10)},
        enums={"event_type": EVENT_TYPES},
        one_of=("email", "communication_id"),
        emails=("email",),
    ),
}
