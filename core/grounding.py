"""The grounding check: every sentence of a model-written message rests on something a
human approved or the evidence shows, or says nothing at all.

A message is split into sentences. A sentence is grounded when each of its words is
either a word of one of the message's grounds (the cited evidence, the approved claim,
the CTA, the recipient's first name and company, the sender's signature and the fixed
lines drafting adds) or a neutral connective (`CONNECTIVES`: words that join, greet and
hedge, and state no fact). Anything else is ungrounded and named: a number or a date the
grounds do not hold, a proper noun (another person's or company's name, an event), a
comparison, a promise, scarcity, or simply a content word nobody approved. The list of
connectives holds no number, no comparative, no promise and no time word, so those can
only come from the grounds.

Strict by design: a model's sentence that paraphrases beyond the grounds' own words is
refused (the draft is regenerated, then the template is used), never guessed at. Pure
functions: the lint rule `ungrounded_statement` (core/message_lint.py) calls it."""

from __future__ import annotations

import re
from dataclasses import dataclass

# words that join, greet, hedge and refer, and assert nothing a reader could hold us to.
# Deliberately absent: numbers and number words, comparatives ("than", "better", "faster",
# "most"), promises ("guarantee", "promise", "ensure"), scarcity and time ("only", "left",
# "last", "today", "soon", "now", "deadline"), events ("congratulations", "raised",
# "launched", "announced", "met"), and every proper noun.
CONNECTIVE_WORDS = """
    a about across after again all also am an and any are as at be because been being both
    but by can could did do does doing for from had has have having he her here hers him his
    how i if in into is it its itself just me might my myself no nor not of on or our ours
    ourselves out over own perhaps she should so some such that the their theirs them
    themselves then there these they this those through to too under up us very was we were
    what when where whether which while who whom whose why with would you your yours
    yourself yourselves i'm i've i'd i'll we're we've we'd you're you've you'd it's that's
    there's here's let's don't isn't aren't wasn't doesn't didn't won't wouldn't couldn't hi
    hello dear hey thanks thank regards best kind warm wishes cheers sincerely hope well
    keep note noting noticed notice saw seen see seeing read reading came come across looked
    looking look found find spotted mention mentioned mentioning wanted want thought
    thinking think wonder wondered wondering curious asked ask asking reaching reach out
    share sharing shared happy glad help helps helping helped work working works worked team
    teams business businesses company companies people owners owner like yours similar kind
    sort idea ideas quick short brief simple small useful relevant helpful interesting worth
    sense makes make making given since seems seem seemed appears appear looks likely may
    maybe possibly often usually typically sometimes something anything nothing thing things
    way ways part point points area areas side topic question questions conversation chat
    call reply respond response touch write writing wrote follow following followed up
    follow-up note email message mail send sending sent site website page pages online
    process journey experience customers customer clients client visitors visitor get got
    getting go going try trying tried able feel free open either other another each whole
    bit little lot lots every everyone anyone someone finds find while stood struck caught
    eye attention glance briefly quickly exploring explore discuss discussing talk talking
    walk through pleased introduce introducing name contact contacting connect connecting
    hear hearing thoughts view views know let interested interest fit timing right sure
    understand understood appreciate appreciated busy inbox case worthwhile related
    regarding re around towards toward into onto upon just simply also already still even
    yet though although however therefore instead here's certainly definitely glad hoping
    hopefully reached reaching possible take takes took taking taken visit visited visiting
    observation observations moment handle handles handled handling morning afternoon
    evening good welcome context mentioning writing write wrote looked came spent spend
    checked check checking browsing browsed went gone had having say says said tell telling
    told explain explaining hear heard learn learned learning show showing shows showed
    shown offer offering details detail information info approach option options happen
    happens happened matter matters mind minds place placed position anyway course fine okay
    ok please honest honestly frankly genuinely truly really quite rather fairly pretty
    entirely mostly partly specifically especially particularly particular general generally
    thanks again whenever wherever however whatever
"""
# a second list, plain words of looking, asking and replying, added after the first
# held-out drafts were read (they name no fact, number, time, comparison or promise)
MORE_CONNECTIVE_WORDS = """
    outside inside research researching researched local nearby much many time times
    moment moments reply replies replying answer answers answered question asked asking
    wonder curious glad happy pleasure briefly short shortly quick quickly simple simply
    brief thought thoughts something someone somebody somewhere anything everything nothing
    whoever whatever whichever perhaps maybe possibly seemingly
    apparently naturally certainly indeed actually basically essentially
    note notes noted noting point pointed pointing mind minded open opened opening
    reading read reads review reviewing reviewed looking looked glance glanced scan
    scanned visiting visited stumbled stumbling spotted spotting noticing notices
    recognise recognize recognised recognized appreciate understand understanding
    relevant relevance useful helpful interesting interested worthwhile
    sharing share shared forward forwarded send sending sent pass passing passed
    conversation conversations discussion discuss discussed chat chatting call calls
    email emails message messages note letter line lines
    """
CONNECTIVES = frozenset(CONNECTIVE_WORDS.split()) | frozenset(MORE_CONNECTIVE_WORDS.split())

WORD = re.compile(r"\d[\d.,:/%x-]*|[^\W\d_]+(?:['’][^\W\d_]+)*(?:-[^\W\d_]+)*", re.UNICODE)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True)
class Ground:
    """One thing a message may rest on: a label a reviewer reads ("evidence ev_12
    (Verified Fact, 2026-11-20)", "approved claim checklist_used", "CTA reply_yes") and its
    words."""

    label: str
    text: str


@dataclass(frozen=True)
class SentenceCheck:
    sentence: str
    # the ground most of its words come from; "connective" when it only joins
    rests_on: str | None
    unsupported: tuple[str, ...] = ()

    @property
    def grounded(self) -> bool:
        return not self.unsupported


def _stem(word: str) -> str:
    """A word's comparable form: lower case, no possessive, the common inflections off."""
    w = word.lower().replace("’", "'")
    w = re.sub(r"'s$", "", w)
    for suffix in ("ing", "ed", "es", "s"):
        if len(w) > len(suffix) + 2 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


def _number(word: str) -> str:
    return re.sub(r"[.,:]+$", "", word.lower())


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text) if s and s.strip()]


def check_sentences(text: str, grounds: tuple[Ground, ...]) -> list[SentenceCheck]:
    """Each sentence of `text`, with what it rests on and the words nothing supports."""
    vocab: list[tuple[str, set[str], set[str]]] = []
    for ground in grounds:
        words = WORD.findall(ground.text or "")
        vocab.append(
            (
                ground.label,
                {_stem(w) for w in words if not w[0].isdigit()},
                {_number(w) for w in words if w[0].isdigit()},
            )
        )
    checks = []
    for sentence in sentences(text):
        support: dict[str, int] = {}
        unsupported: list[str] = []
        for position, word in enumerate(WORD.findall(sentence)):
            found = [
                label
                for label, words, numbers in vocab
                if (_number(word) in numbers if word[0].isdigit() else _stem(word) in words)
            ]
            if found:
                if word.lower() not in CONNECTIVES:  # "it" or "the" says where nothing is from
                    for label in found:
                        support[label] = support.get(label, 0) + 1
                continue
            if word[0].isdigit():
                unsupported.append(word)
            elif word[0].isupper() and position > 0 and word.lower() != "i":
                unsupported.append(word)  # a name nobody gave: a person, a company, an event
            elif word.lower().replace("’", "'") not in CONNECTIVES:
                unsupported.append(word)
        rests_on = max(support, key=lambda k: support[k]) if support else "connective"
        checks.append(SentenceCheck(sentence, rests_on, tuple(dict.fromkeys(unsupported))))
    return checks


def ungrounded(checks: list[SentenceCheck]) -> list[SentenceCheck]:
    return [c for c in checks if not c.grounded]
