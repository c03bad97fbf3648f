"""The framework's Message Quality Standard as lint rules over one message.

Pure functions: drafting lints every draft, and decisions import lints every
reviewer's edit with the same rules. Each rule gives a pass/fail column on the draft;
`failures` lists the reasons a reviewer reads. A failing draft cannot be approved."""

import re
from dataclasses import dataclass, field

from core.config import Channel, Messaging
from core.grounding import Ground, check_sentences, ungrounded

# the rules, in the order a reviewer reads them; each is a column `lint_<rule>`
RULES = (
    "one_cta",
    "approved_claims_only",
    "no_unsupported_roi",
    "no_fake_urgency",
    "no_fake_flattery",
    "no_pressure",
    "no_creepy_personal",
    "no_unapproved_commitment",
    "no_unsafe_evidence",
    "length",
    "opt_out_present",
    "not_reused",
    "privacy_notice",
    "ungrounded_statement",
)

# claim-like language that must come from the approved claims, not be made up
CLAIM_LANGUAGE = re.compile(
    r"\d+\s*(%|percent|x\b|times\b)|\bproven\b|\bbest\b|\bleading\b|\b#1\b|\bnumber one\b|"
    r"\bclients? (saw|got|achieved)\b",
    re.IGNORECASE,
)


# a commercial commitment (price, discount, scope, guarantee, contract term): only in the
# words of the approved offer (its claims and CTAs) or the proposal record, never made up
# by a draft or an edit (the framework's failure mode 19, "changes terms")
COMMITMENT_LANGUAGE = re.compile(
    r"[£$€]\s?\d(?:[\d,.]*\d)?|\b\d(?:[\d,.]*\d)?\s?(gbp|usd|eur|pounds?|dollars?|euros?)\b|"
    r"\b\d+\s?%\s?off\b|\bdiscount\w*|\bfree of charge\b|\bat no (extra |additional )?cost\b|"
    r"\b(for|at) no charge\b|\bwaive\w*|\bprice (match|freeze|lock)\w*|"
    r"\bguarantee\w*|\bwarrant(y|ies)\b|\brefund\w*|\bmoney[- ]back\b|"
    r"\b\d+[- ](day|week|month|year)s?[- ](contract|term|commitment|minimum|trial)\b|"
    r"\bno (lock[- ]in|contract|minimum term|commitment)\b|\bcancel (at )?any ?time\b|"
    r"\bunlimited\b|\bwe will (deliver|complete|finish|have it done)\b.{0,60}\b(by|within)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class MessageContext:
    """What a message may legitimately contain, to tell it from what it may not."""

    channel: Channel
    approved_claims: tuple[str, ...]
    ctas: tuple[str, ...]
    safe_evidence: tuple[str, ...] = ()
    unsafe_evidence: tuple[str, ...] = ()
    earlier_bodies: tuple[str, ...] = ()
    # the Art. 14 notice the message must carry (first message, third-party source)
    required_notice: str | None = None
    # terms a human agreed in writing (a proposal record's price and scope)
    approved_terms: tuple[str, ...] = ()
    # a model-written message: what each of its sentences may rest on (core/grounding.py);
    # None for a template or a person's edit (their words are a human's)
    grounds: tuple[Ground, ...] | None = None


@dataclass(frozen=True)
class LintResult:
    passed_rules: dict[str, bool] = field(default_factory=dict)
    failures: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.failures

    def columns(self) -> dict[str, object]:
        return {f"lint_{rule}": self.passed_rules[rule] for rule in RULES} | {
            "lint_passed": self.passed,
            "lint_failures": "; ".join(self.failures),
        }


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _without(text: str, parts: tuple[str, ...]) -> str:
    out = _normal(text)
    for part in parts:
        if part:
            out = out.replace(_normal(part), " ")
    return out


def lint_message(
    subject: str | None, body: str, context: MessageContext, rules: Messaging
) -> LintResult:
    text = f"{subject or ''}\n{body}"
    normal = _normal(text)
    failures: dict[str, str] = {}

    notice = (context.required_notice,) if context.required_notice else ()
    # the configured opt-out line and notice are fixed text, not a question to the reader
    fixed = (rules.opt_out_line, *notice)
    found_ctas = [cta for cta in context.ctas if _normal(cta) in normal]
    # quoting the evidence (a person's own question, from their inquiry) asks nothing
    questions = _without(text, context.ctas + fixed + context.safe_evidence).count("?")
    if len(found_ctas) != 1 or questions:
        failures["one_cta"] = f"needs exactly one approved CTA, found {len(found_ctas)}" + (
            f" and {questions} other question(s)" if questions else ""
        )

    rest = _without(
        text, context.approved_claims + context.safe_evidence + (rules.opt_out_line,) + notice
    )
    made_up = CLAIM_LANGUAGE.search(rest)
    if made_up:
        failures["approved_claims_only"] = (
            f"claim language not in the approved claims: {made_up.group(0)!r}"
        )

    for rule, key in (
        ("no_unsupported_roi", "unsupported_roi"),
        ("no_fake_urgency", "fake_urgency"),
        ("no_fake_flattery", "fake_flattery"),
        ("no_pressure", "pressure"),
        ("no_creepy_personal", "creepy_personal"),
    ):
        for pattern in rules.banned_patterns.get(key, []):
            hit = re.search(pattern, text, re.IGNORECASE)
            if hit:
                failures[rule] = f"{key.replace('_', ' ')}: {hit.group(0)!r}"
                break

    # the approved offer's own words (and a proposal record's) may state its terms
    terms = _without(text, context.approved_claims + context.ctas + context.approved_terms + fixed)
    commitment = COMMITMENT_LANGUAGE.search(terms)
    if commitment:
        failures["no_unapproved_commitment"] = (
            f"a commercial commitment not in the approved offer: {commitment.group(0)!r}"
        )

    # AI inference, unverified claims, stale or sensitive points; the same words from a
    # safe source (a fresh copy of a stale observation) are not a leak
    safe = {_normal(e) for e in context.safe_evidence if e}
    leaked = [
        e for e in context.unsafe_evidence if e and _normal(e) not in safe and _normal(e) in normal
    ]
    if leaked:
        failures["no_unsafe_evidence"] = f"uses evidence that is not safe to mention: {leaked[0]!r}"

    limit = rules.max_body_chars[context.channel]
    if len(body) > limit:
        failures["length"] = (
            f"body is {len(body)} characters, the {context.channel} limit is {limit}"
        )
    elif subject is not None and len(subject) > rules.max_subject_chars:
        failures["length"] = (
            f"subject is {len(subject)} characters, the limit is {rules.max_subject_chars}"
        )

    if context.channel == Channel.EMAIL and _normal(rules.opt_out_line) not in _normal(body):
        failures["opt_out_present"] = "the opt-out line is missing"

    if context.required_notice and _normal(context.required_notice) not in _normal(body):
        failures["privacy_notice"] = "the privacy notice for a third-party source is missing"
    if _normal(body) in {_normal(b) for b in context.earlier_bodies}:
        failures["not_reused"] = "the same text was used for an earlier step"

    if context.grounds is not None:
        refused = ungrounded(check_sentences(f"{subject or ''}\n{body}", context.grounds))
        if refused:
            failures["ungrounded_statement"] = "; ".join(
                f"{c.sentence!r} rests on nothing approved ({', '.join(c.unsupported)})"
                for c in refused
            )

    return LintResult(
        passed_rules={rule: rule not in failures for rule in RULES},
        failures=tuple(f"{rule}: {failures[rule]}" for rule in RULES if rule in failures),
    )
