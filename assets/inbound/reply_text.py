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
SIGNATURE = re.compile(
    r"^(-- ?$|sent from my \w+|get outlook for|sent from (mail|outlook|yahoo)|(kind |best |warm "
    r")?regards,?$|best( wishes)?,?$|thanks( again)?,?$|thank you,?$|cheers,?$|many "
    r"thanks,?$|sincerely,?$|mit freundlichen grüßen|cordialement|saludos)",
    re.I | re.M,
)


def strip_reply(text: str, our_lines: tuple[str, ...] = ()) -> str:
    """The new text of a reply: before the first quote header, without '>' lines, our own
    lines (opt-out, signature) or the sender's sign-off and signature."""
    text = text.replace("\r\n", "\n")
    cut = QUOTE_HEADERS.search(text)
    if cut:
        text = text[: cut.start()]
    lines = [line for line in text.split("\n") if not line.lstrip().startswith(">")]
    text = "\n".join(lines)
    for ours in our_lines:
        if ours:
            text = text.replace(ours, " ")
    sign_off = SIGNATURE.search(text)
    if sign_off and sign_off.start() > 0:
        text = text[: sign_off.start()]
    return text.strip()
