"""A language model's second opinion on a reply the rules doubt; the rules stay guardrails.

Asked only when `replies.yml` sets `model_second_opinion: true` and a language model is
configured (OUTREACH_LLM_*: core/language_model.py), and only for a human reply
the rules call Unknown or are unsure of (confidence below `human_first_below`). What is
sent: the reply's own words (quoted original and signature removed) and the list of
classes; nothing else about the person.

The opinion never decides on its own. It is kept beside the rules' class (the reply task
shows it to the person who reads the reply first). An opt-out or complaint the rules see
is never asked about, so never downgraded. If the model reads an opt-out or a complaint
the rules missed, contact stops (`stops_sequence`) until a human has read it: in doubt
about "stop contacting me", stop."""

from __future__ import annotations

import re
from dataclasses import replace

from assets.inbound.classify import Classification
from assets.inbound.reply_classes import STOP_CLASSES
from core.language_model import ChatClient

QUESTION = """Classify one reply to a B2B sales email. Answer with exactly one class name from
this list and nothing else: {classes}."""


def needs_opinion(c: Classification, human_first_below: float) -> bool:
    return (
        bool(c.reply_text)
        and c.reply_class not in STOP_CLASSES
        and (c.reply_class == "Unknown" or c.confidence < human_first_below)
    )


def ask(client: ChatClient, text: str, classes: tuple[str, ...]) -> str | None:
    """The class the model names, if it names one of `classes`; None otherwise (and on any
    failure of its server: the rules' class stands)."""
    try:
        answer = client.complete(
            [
                {"role": "system", "content": QUESTION.format(classes=", ".join(classes))},
                {"role": "user", "content": text},
            ]
        )
    except Exception:  # a model's server failing never stops the mail intake
        return None
    said = re.sub(r"[^a-z ]", "", answer.strip().lower())
    return next((k for k in classes if k.lower() == said), None)


def with_opinion(c: Classification, opinion: str | None) -> Classification:
    """The rules' classification, holding contact when the model reads a stop."""
    if opinion in STOP_CLASSES and c.reply_class not in STOP_CLASSES:
        return replace(c, stops_sequence=True)
    return c
