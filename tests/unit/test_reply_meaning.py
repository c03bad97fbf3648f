"""The meaning model reads only what the rules leave Unknown, and only ever adds caution:
the real multilingual-e5-small embedder and the shipped weights where the figure matters,
a stand-in embedder (the `Embedder` interface) where a guardrail needs an exact reading."""

import json
import re

import numpy as np
import pytest

from assets.inbound import classify as classify_module
from assets.inbound import reply_meaning
from assets.inbound.classify import CONTINUES_CONTACT, classify
from assets.inbound.reply_meaning import (
    CONFIDENCE_CAP,
    LEAST_PROBABILITY,
    MAX_TOKENS,
    STOP_DOUBT,
    WEIGHTS,
    E5Embedder,
    MeaningReader,
    reader,
)

CLASSES = ["Interested", "Question", "Unsubscribe"]


def _reply(body: str) -> bytes:
    return (
        "From: Someone <someone@client.example>\r\nSubject: Re: the checklist\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        f"{body}\r\n"
    ).encode()


class OneHot:
    """A stand-in embedder: the text's first word picks the dimension."""

    name = "one-hot stand-in"
    words = ("keen", "unsure", "maybe")

    def embed(self, texts):
        rows = np.zeros((len(texts), 3))
        for n, text in enumerate(texts):
            rows[n, self.words.index(re.match(r"\w+", text.lower())[0])] = 1.0
        return rows


def _stand_in(scores: list[list[float]]) -> MeaningReader:
    """Class scores per stand-in dimension (logits; the reader softmaxes them)."""
    weights = {"classes": CLASSES, "coef": np.array(scores).T.tolist(), "intercept": [0, 0, 0]}
    return MeaningReader(OneHot(), weights)


@pytest.fixture
def stand_in(monkeypatch):
    # keen: clearly Interested; unsure: Interested, but a stop class holds 0.3 of it;
    # maybe: nothing above even odds
    model = _stand_in([[5, 0, 0], [1.2, 0, 0.9], [0.1, 0, 0]])
    monkeypatch.setattr(classify_module, "reader", lambda: model)
    return model


def test_a_reply_the_rules_cannot_name_gets_the_models_class_for_a_person_to_read(stand_in):
    found = classify(_reply("Keen, we are."))
    assert found.reply_class == "Interested"
    assert found.confidence == CONFIDENCE_CAP < 0.7  # under the default human_first_below
    assert found.evidence.startswith("meaning model: Interested")
    assert classify(_reply("Keen, we are."), use_model=False).reply_class == "Unknown"


def test_a_continuing_reading_with_a_real_chance_of_an_opt_out_holds_contact(stand_in):
    reading = stand_in.read("unsure")
    assert reading.reply_class == "Interested" and reading.stop_probability > STOP_DOUBT
    found = classify(_reply("Unsure what to make of it"))
    assert found.reply_class == "Unknown" and found.stops_sequence
    assert "held for a person" in found.evidence


def test_a_reading_under_even_odds_leaves_the_reply_unknown(stand_in):
    assert stand_in.read("maybe").probability < LEAST_PROBABILITY
    assert classify(_reply("Maybe")).reply_class == "Unknown"


def test_the_rules_opt_out_is_never_put_to_the_model(monkeypatch):
    def never():
        raise AssertionError("the model was asked")

    monkeypatch.setattr(classify_module, "reader", never)
    assert classify(_reply("Please remove me from your list.")).reply_class == "Unsubscribe"
    assert classify(_reply("Yes please, send it over.")).reply_class == "Interested"


def test_switched_off_by_the_environment(monkeypatch):
    monkeypatch.setenv("OUTREACH_REPLY_MODEL", "0")
    assert reader() is None


def test_the_shipped_weights_belong_to_the_embedder_that_runs_here():
    weights = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    model = reader()
    assert model is not None and weights["embedder"] == E5Embedder().name
    assert len(weights["coef"]) == len(weights["classes"]) == len(weights["intercept"])
    assert {len(row) for row in weights["coef"]} == {384}


@pytest.mark.parametrize(
    "text",
    [
        # a taught opt-out, reworded and in languages the rules were given no phrase for
        "I'd rather not receive any further messages from your company.",
        "Prosím, vymažte moji adresu z vašeho seznamu.",
        "Pyydän poistamaan osoitteeni listaltanne.",
    ],
)
def test_no_opt_out_the_model_reads_continues_contact(text):
    found = classify(_reply(text))
    assert found.reply_class not in CONTINUES_CONTACT and found.stops_sequence


def test_the_same_words_give_the_same_reading():
    model = reader()
    first = model.read("Could you tell me what it costs for two sites?")
    assert model.read("Could you tell me what it costs for two sites?") == first
    assert reply_meaning.reader() is model


@pytest.mark.parametrize(
    "text",
    [
        "a" * 200_000,  # one endless word: the engine truncates nothing itself
        "é" * 5_000,
        "word " * 20_000,
        "abc \udcff def",  # a lone surrogate from a broken decoding
        "\x00",
        "",
    ],
)
def test_the_model_reads_only_a_bounded_opening_of_any_reply(text):
    embedder = reader().embedder
    opening = embedder.opening(text)
    assert opening and embedder._model.token_count(opening, True) <= MAX_TOKENS
    if text.strip() and "\udcff" not in text:
        assert text.startswith(opening)  # the opening, not a sample of the reply
    reader().read(text)  # and reads it without failing
