"""Where a text quotes the people of a request: their addresses, numbers and full names.

An erasure looks for every such string in every file of the workspace. One regular
expression of all of them (hundreds on a retention day, when everyone inactive goes at
once) tries each at every position of every file: minutes on a workspace with a few
weeks of logs and run history. Here one Aho-Corasick pass over the text finds which of
the strings it holds, whatever their number, and the regular expression is made of those
few: the same matches, the same rewriting, as the regular expression of all of them.

The pass compares case-folded text, folded so that it never misses what Python's
case-insensitive regular expression would match: two characters are equal for `re`
when their simple lowercase forms are, or when both are in one of the classes below."""

import html
import re

from ahocorasick_rs import BytesAhoCorasick

# the characters `re` treats as equal beyond their lowercase forms (CPython's
# re._casefix); each class is folded to its first member
EQUIVALENT = (
    "\u0069\u0131",  # i ı
    "\u0073\u017f",  # s ſ
    "\u00b5\u03bc",  # µ μ
    "\u0345\u03b9\u1fbe",  # ypogegrammeni ι ι
    "\u0390\u1fd3",  # ΐ ΐ
    "\u03b0\u1fe3",  # ΰ ΰ
    "\u03b2\u03d0",  # β ϐ
    "\u03b5\u03f5",  # ε ϵ
    "\u03b8\u03d1",  # θ ϑ
    "\u03ba\u03f0",  # κ ϰ
    "\u03c0\u03d6",  # π ϖ
    "\u03c1\u03f1",  # ρ ϱ
    "\u03c2\u03c3",  # ς σ
    "\u03c6\u03d5",  # φ ϕ
    "\u0432\u1c80",  # в ᲀ
    "\u0434\u1c81",  # д ᲁ
    "\u043e\u1c82",  # о ᲂ
    "\u0441\u1c83",  # с ᲃ
    "\u0442\u1c84\u1c85",  # т ᲄ ᲅ
    "\u044a\u1c86",  # ъ ᲆ
    "\u0463\u1c87",  # ѣ ᲇ
    "\u1c88\ua64b",  # ᲈ ꙋ
    "\u1e61\u1e9b",  # ṡ ẛ
    "\ufb05\ufb06",  # ﬅ ﬆ
)
_FOLD = str.maketrans({c: group[0] for group in EQUIVALENT for c in group[1:]})
_FOLDED_AWAY = re.compile("[" + "".join(c for group in EQUIVALENT for c in group[1:]) + "]")
# a JSON writer may spell any character as \uXXXX, and "/" as "\/"
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\/")


def fold(text: str) -> bytes:
    """`text` in the form two strings share whenever `re.IGNORECASE` would match one
    against the other, as UTF-8 (a substring of the text is a substring of its bytes;
    lone surrogates, which undecodable bytes become, pass). Lengths may change: for
    finding, never for rewriting."""
    if text.isascii():
        return text.lower().encode("ascii")
    # "İ" lowercases to "i" + a combining dot, where `re` takes the simple form "i" (the
    # one character whose lowercase is two); a combining dot written after an "i" stays
    low = text.replace("\u0130", "i").lower()
    if _FOLDED_AWAY.search(low):
        low = low.translate(_FOLD)
    return low.encode("utf-8", "surrogatepass")


class Quotes:
    """The strings that name some people (as written, and as HTML escapes them), and the
    regular expressions that find them in one text."""

    def __init__(self, strings: set[str]) -> None:
        self.originals = {s for s in strings if s}
        every = self.originals | {html.escape(s) for s in self.originals}
        # longest first: where two start at one place, the longer is rewritten
        self.strings = sorted(every, key=lambda s: (-len(s), s))
        self._by_folded: dict[bytes, list[str]] = {}
        for s in self.strings:
            self._by_folded.setdefault(fold(s), []).append(s)
        self._folded = sorted(self._by_folded)
        self._automaton = BytesAhoCorasick(self._folded) if self._folded else None

    def __bool__(self) -> bool:
        return bool(self.strings)

    def held_in(self, text: str) -> list[str]:
        """The strings `text` may hold, longest first (every one it holds; a few more only
        where folding joins what `re` keeps apart)."""
        if self._automaton is None or not text:
            return []
        found = {
            self._folded[i]
            for i, _, _ in self._automaton.find_matches_as_indexes(fold(text), overlapping=True)
        }
        held = {s for f in found for s in self._by_folded[f]}
        return [s for s in self.strings if s in held]

    def regex_for(self, text: str) -> re.Pattern | None:
        """A case-insensitive regular expression of the strings `text` holds (None when it
        holds none): on `text` it matches what one of all the strings would."""
        held = self.held_in(text)
        if not held:
            return None
        return re.compile("|".join(re.escape(s) for s in held), re.IGNORECASE)

    def found_in(self, text: str) -> bool:
        """Whether `text` quotes one of the strings (as `re.IGNORECASE` would find it)."""
        pattern = self.regex_for(text)
        return pattern is not None and pattern.search(text) is not None

    def json_regex_for(self, text: str) -> re.Pattern | None:
        r"""The strings `text` holds however JSON escapes them: any character as itself or
        as `\uXXXX` (either case of a letter), `/` also as `\/`. None when it holds none."""
        shadow = _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else "/", text)
        held = [s for s in self.held_in(shadow) if s in self.originals]
        if not held:
            return None
        return re.compile("|".join("".join(_json_char(c) for c in s) for s in held), re.IGNORECASE)


def _json_char(c: str) -> str:
    # a letter whose other case is two letters ("ß", "SS") is escaped in its own case
    forms = {re.escape(c)} | {
        rf"\\u{ord(v):04x}" for v in {c, c.lower(), c.upper()} if len(v) == 1 and ord(v) <= 0xFFFF
    }
    if c == "/":
        forms.add(r"\\/")
    return "(?:" + "|".join(sorted(forms)) + ")"
