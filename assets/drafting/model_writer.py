"""A language model as a drafting provider, under governance: the model writes, the
evidence decides.

Optional. Enabled by OUTREACH_LLM_BASE_URL, OUTREACH_LLM_API_KEY and OUTREACH_LLM_MODEL
(any OpenAI-compatible chat completions server: core/language_model.py); a campaign
with `drafting: template` never asks it. Without the three variables every draft is a
template, exactly as before.

What leaves the workspace, per draft and nothing else: the recipient's first name and
company name, the one safe evidence point drafting chose (its text, class and date), the
step's approved claim, the CTA, the message type with its purpose, and the length limit.
Never an address, a last name, a role, a source, a score or another evidence point.

Every model draft is linted with the project's rules plus `ungrounded_statement` (every
sentence rests on the grounds: core/grounding.py). A refused draft is asked for again, with
the reasons, at most MAX_ATTEMPTS times; then the template is used and the reason kept.
A server that times out, rate-limits or fails is retried by the SDK (bounded, with
back-off); a call that still fails falls back to the template, and after
BREAKER_FAILURES failed calls in a row the run stops asking (a run never fails because the
model's server does)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from core.config import MessageType
from core.language_model import ChatClient, client_from_env
from core.message_lint import LintResult

MAX_ATTEMPTS = 3
BREAKER_FAILURES = 3

# the framework's message types, each with its one purpose (framework: Message Types)
TYPE_PURPOSE = {
    MessageType.FIRST_TOUCH: "Introduces relevance and invites a low-friction response.",
    MessageType.VALUE_ADD_FOLLOW_UP: "Provides an additional useful observation.",
    MessageType.DIAGNOSTIC_OFFER: "Offers a short assessment, example, or resource.",
    MessageType.PROPOSAL_FOLLOW_UP: (
        "Clarifies value, objections, questions, or next steps after a proposal."
    ),
    MessageType.APPOINTMENT_FOLLOW_UP: (
        "Confirms or moves a qualified conversation toward booking."
    ),
    MessageType.REACTIVATION: "Reopens a previous conversation using current and relevant context.",
    MessageType.CLOSEOUT: "Ends the sequence respectfully and gives the recipient control.",
}

INSTRUCTIONS = """You write one short B2B outreach message body for a human to review.
Use only the facts in the JSON the user sends. Rules:
- Greet the recipient by first_name ("Hi <first_name>,").
- Mention the evidence in its own words; do not add to it, interpret it or guess why.
- If a claim is given, use it word for word. Make no other claim.
- End with the cta, word for word. Ask no other question.
- No numbers, dates, names, companies, events, comparisons, promises, prices, discounts or
  deadlines that are not in the facts. No flattery, no urgency, no pressure.
- No subject line, no signature, no opt-out line: they are added after you.
- At most max_chars characters. Plain text only."""


@dataclass(frozen=True)
class PromptFacts:
    """Everything the model is told, and nothing more."""

    first_name: str
    company_name: str
    evidence: str | None
    evidence_class: str | None
    evidence_date: str | None
    claim: str | None
    cta: str
    message_type: str
    step_purpose: str
    max_chars: int

    def messages(self) -> list[dict[str, str]]:
        facts = {
            "first_name": self.first_name,
            "company_name": self.company_name,
            "evidence": (
                {"text": self.evidence, "class": self.evidence_class, "date": self.evidence_date}
                if self.evidence
                else None
            ),
            "claim": self.claim,
            "cta": self.cta,
            "message_type": self.message_type,
            "purpose": f"{TYPE_PURPOSE[MessageType(self.message_type)]} {self.step_purpose}",
            "max_chars": self.max_chars,
        }
        return [
            {"role": "system", "content": INSTRUCTIONS},
            {"role": "user", "content": json.dumps(facts, ensure_ascii=False, sort_keys=True)},
        ]


def prompt_hash(model: str, messages: list[dict[str, str]]) -> str:
    text = json.dumps({"model": model, "messages": messages}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Attempt:
    number: int
    outcome: str  # "passed", "refused by lint", "server error", "reused"
    detail: str


@dataclass
class ModelDraft:
    """What the model gave for one draft: its text if one passed, and the record."""

    provider: str
    model: str
    prompt_hash: str
    text: str | None = None
    lint: LintResult | None = None
    attempts: list[Attempt] = field(default_factory=list)
    fallback_reason: str | None = None


def _plain(text: str) -> str:
    """The message as text: a fenced block's inside, no trailing blank lines."""
    stripped = text.strip()
    if stripped.startswith("```"):
        stripped = stripped.strip("`")
        stripped = stripped.split("\n", 1)[1] if "\n" in stripped else ""
    return stripped.strip()


class ModelWriter:
    """Asks the model for each draft, checks it, and knows when to stop asking."""

    def __init__(self, client: ChatClient, max_attempts: int = MAX_ATTEMPTS) -> None:
        self.client = client
        self.max_attempts = max_attempts
        self.failures_in_a_row = 0
        # the model's text of earlier drafts, by prompt hash: the same facts get the same
        # words back (an approval binds to content; a rerun must not change it)
        self.known: dict[str, str] = {}

    @property
    def available(self) -> bool:
        return self.failures_in_a_row < BREAKER_FAILURES

    def write(self, facts: PromptFacts, check: Callable[[str], LintResult]) -> ModelDraft:
        """A draft from the model that `check` passes, or the reason there is none."""
        messages = facts.messages()
        draft = ModelDraft(
            self.client.provider, self.client.model, prompt_hash(self.client.model, messages)
        )
        earlier = self.known.get(draft.prompt_hash)
        if earlier is not None:
            lint = check(earlier)
            if lint.passed:
                draft.attempts.append(Attempt(0, "reused", "the same facts as an earlier draft"))
                draft.text, draft.lint = earlier, lint
                return draft
        if not self.available:
            draft.fallback_reason = (
                f"the model server failed {BREAKER_FAILURES} calls in a row this run"
            )
            return draft
        for number in range(1, self.max_attempts + 1):
            try:
                text = _plain(self.client.complete(messages))
            except Exception as exc:  # a run never fails because the model's server does
                self.failures_in_a_row += 1
                reason = f"model server: {type(exc).__name__}: {str(exc)[:200]}"
                draft.attempts.append(Attempt(number, "server error", reason))
                draft.fallback_reason = reason
                return draft
            self.failures_in_a_row = 0
            lint = check(text)
            if lint.passed:
                draft.attempts.append(Attempt(number, "passed", ""))
                draft.text, draft.lint = text, lint
                return draft
            reasons = "; ".join(lint.failures)
            draft.attempts.append(Attempt(number, "refused by lint", reasons))
            messages = [
                *messages,
                {"role": "assistant", "content": text},
                {
                    "role": "user",
                    "content": "That draft was refused: "
                    + reasons
                    + ". Write it again from the facts only, following every rule.",
                },
            ]
        draft.fallback_reason = (
            f"{self.max_attempts} model drafts refused by lint; last: {draft.attempts[-1].detail}"
        )
        return draft


def writer_from_env(environ: Mapping[str, str] | None = None) -> ModelWriter | None:
    client = client_from_env(environ)
    return ModelWriter(client) if client else None
