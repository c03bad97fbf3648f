"""What the person wrote, without the quoted original or their signature.

The quoted original is our own message: its pitch, its CTA and its opt-out line
("reply stop") would otherwise be read as the reply's words."""

import re

QUOTE_HEADERS = re.compile(
    r"^\s*(on\b.{0,200}\bwrote:|on\b.{0,120}$\n.{0,120}\bwrote:|"
    r"-{2,}\s*original message\s*-{2,}|-{2,}\s*forwarded message\s*-{2,}|_{8,}|"
    r"from:\s.+$\n(\s*(sent|date|to|subject|cc):)|"
    r"le\b.{0,200}\ba écrit\s*:|am\b.{0,200}\bschrieb.{0,80}:|el\b.{0,200}\bescribió\s*:|"
    r"il\b.{0,200}\bha scritto\s*:|op\b.{0,200}\bschreef.{0,80}:)",
    re.I | re.M,
)
# the signature delimiter (RFC 3676): below it are the sender's signature and footers (a
# notification service's "to unsubscribe from this topic..."), not words to us
SIGNATURE_DELIMITER = re.compile(r"^-- ?$", re.M)
# an informal sign-off: what follows is a name, a company, a phone number, or a P.S.
SIGNATURE = re.compile(
    r"^(sent from my \w+|get outlook for|sent from (mail|outlook|yahoo)|(kind |best |warm "
    r")?regards,?$|best( wishes)?,?$|thanks( again)?,?$|thank you,?$|cheers,?$|many "
    r"thanks,?$|sincerely,?$|mit freundlichen grüßen|cordialement|saludos)",
    re.I | re.M,
)


def new_text(text: str, our_lines: tuple[str, ...] = ()) -> str:
    """All a person wrote in a reply: before the first quote header and the signature
    delimiter, without '>' lines or our own lines (opt-out, signature). Their sign-off and
    any P.S. stay: this is what opt-out and complaint words are looked for in."""
    text = text.replace("\r\n", "\n")
    cut = QUOTE_HEADERS.search(text)
    if cut:
        text = text[: cut.start()]
    delimiter = SIGNATURE_DELIMITER.search(text)
    if delimiter and delimiter.start() > 0:
        text = text[: delimiter.start()]
    lines = [line for line in text.split("\n") if not line.lstrip().startswith(">")]
    text = "\n".join(lines)
    for ours in our_lines:
        if ours:
            text = text.replace(ours, " ")
    return text.strip()


def _name_line(sender_name: str) -> re.Pattern | None:
    """A line that is the sender signing: their whole name, or one of its words ("Sam",
    or "Sam" from "Taylor, Sam"), alone on it."""
    words = [w for w in re.split(r"[\s,]+", sender_name) if w]
    names = {n for n in (" ".join(words), *words) if len(n) > 1}
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"^[ \t]*[-–—~]*[ \t]*(?:{alternatives})[ \t.,!]*$", re.I | re.M)


def without_sign_off(text: str, sender_name: str = "") -> str:
    """The body of what a person wrote: from its sign-off ("Thanks,", "Sent from my
    iPhone", their own name on a line of its own) on, cut."""
    cuts = [
        found.start()
        for pattern in (SIGNATURE, _name_line(sender_name))
        if pattern and (found := pattern.search(text)) and found.start() > 0
    ]
    return text[: min(cuts)].strip() if cuts else text.strip()


def strip_reply(text: str, our_lines: tuple[str, ...] = (), sender_name: str = "") -> str:
    """The body of a reply's new text: no quoted original, our own lines or sign-off."""
    return without_sign_off(new_text(text, our_lines), sender_name)
