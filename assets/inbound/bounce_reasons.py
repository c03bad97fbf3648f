"""Why a delivery failed, from the RFC 3463 status and the server's own words.

Reasons follow Sisimai's vocabulary (userunknown, mailboxfull, hostunknown, ...), so a
public labelled corpus can score them. Hard means the address itself is bad (remove it:
a suppression); everything else may be temporary or about the sender, and is soft."""

import re

HARD_REASONS = frozenset({"userunknown", "hostunknown", "hasmoved", "notaccept"})

# a provider's own sentence that there is no such account ("This user doesn't have a
# yahoo.com account"): user unknown, and as certain as a 5.1.1 whatever the SMTP stage
NO_SUCH_ACCOUNT = r"doesn'?t have an? .{0,40} account"

# (reason, pattern over the diagnostic text, lowercased); first match wins, so the
# specific come before the general
TEXT_RULES: tuple[tuple[str, str], ...] = (
    (
        "hasmoved",
        r"has (been )?moved|address changed|new address is|no longer (uses|at) this address",
    ),
    (
        "mesgtoobig",
        r"message (size )?(is )?too (big|large)|exceeds? (the )?(maximum )?(message )?size|size "
        r"limit|message length exceeds|mail size",
    ),
    ("virusdetected", r"virus|malware|infected|malicious"),
    (
        "spamdetected",
        r"\bspam\b|junk mail|looks like spam|unsolicited (bulk )?mail|content (was )?(rejected|"
        r"blocked) as|score too high|bulk mail",
    ),
    (
        "authfailure",
        r"\bspf\b|\bdkim\b|\bdmarc\b|sender policy framework|authentication (checks? )?(failed|"
        r"required)|not authenticated|unauthenticated",
    ),
    (
        "requireptr",
        r"\bptr\b|reverse (dns|lookup|hostname)|no reverse|rdns|cannot find your hostname|"
        r"hostname.*(not|doesn'?t) (resolve|match)|reverse.*not found",
    ),
    (
        "norelaying",
        r"relay(ing)? (access )?(denied|not permitted|prohibited|not allowed)|not permitted to "
        r"relay|unable to relay|we do not relay|relay not permitted",
    ),
    (
        "toomanyconn",
        r"too many (connections|concurrent|simultaneous)|connection (rate|limit)|too many smtp "
        r"sessions",
    ),
    (
        "speeding",
        r"rate limit|too many (messages|recipients|emails)|sending rate|throttl|try (again "
        r")?later.*(rate|limit)",
    ),
    (
        "exceedlimit",
        r"exceeded? (the )?(storage|limit)|limit exceeded|daily (sending )?(limit|quota)",
    ),
    (
        "mailboxfull",
        r"mailbox (is )?full|quota|over ?quota|insufficient (system )?storage|mailbox size|"
        r"storage (space|allocation)|out of (disk )?space|mail ?box has exceeded|full mailbox|not "
        r"enough space|メールボックスが(一杯|いっぱい|満杯)|容量.{0,6}(超え|一杯|オーバー)",
    ),
    (
        "suspend",
        r"suspended|(temporar(il)?y )?locked|disabled|deactivated|inactive|account (has been "
        r")?(closed|locked|expired|blocked)|mailbox (is )?(disabled|inactive|unavailable: "
        r"inactive)|not (an )?active",
    ),
    (
        "hostunknown",
        r"host (or domain name )?(not found|unknown)|unknown host|domain (not found|does not "
        r"exist|name not found)|no such domain|name or service not known|\bnxdomain\b|unrouteable|"
        r"no mx|mx (record )?(lookup|not found)|host not found|unknown domain|invalid domain|"
        r"domain .* (doesn'?t|does not) exist|dns (error|lookup)|domain is not reachable|"
        # a bare domain name said not to exist ("553 neko.example.com does not exist"), never
        # the domain of an address
        r"(?<![@\w.-])(?:[a-z0-9-]+\.)+[a-z]{2,} (doesn'?t|does not) exist",
    ),
    # Postfix's "Recipient address rejected: <why>": the why decides, unless it is only
    # "Access denied" (Microsoft's refusal of an address its directory does not hold)
    (
        "userunknown",
        r"user (is )?unknown|unknown (user|recipient|address|local ?part|mailbox)|no such (user|"
        r"recipient|mailbox|address|account)|(mailbox|recipient|user|address|account) (does not "
        r"exist|doesn'?t exist|not found|unavailable|unknown|invalid)|invalid (recipient|mailbox|"
        r"address|user)|recipient (address )?rejected(?!: *(?!access denied)\w)|does not exist|"
        r"not a valid (recipient|"
        r"mailbox|user)|addressee unknown|unknown or illegal alias|no mailbox here|bad "
        r"destination mailbox|user not found|undeliverable address|is not a known user|not listed "
        r"in|mailbox unavailable|no longer (valid|exists)|account .* not exist|"
        + NO_SUCH_ACCOUNT
        + r"|e-?mail address (was )?not found|recipient .{0,40}not found|did not "
        r"reach the following recipient|invalid .{0,20}userid|recipient name is not recognized|"
        r"宛先.{0,10}(見つかりません|存在しません)|存在しない(メール)?アドレス|no valid "
        r"recipients?|address (wasn't|was not) found|check (if|that) (the )?(e-?mail )?address "
        r"is correct",
    ),
    (
        "blocked",
        r"block(ed|list)|blacklist|black list|\brbl\b|dnsbl|listed (at|in|on)|client host .* "
        r"rejected|access denied|connection (refused|rejected|denied)|banned|reputation|not "
        r"allowed to send|poor reputation|ip .* (rejected|not allowed)",
    ),
    (
        "filtered",
        r"filter|content (policy|rejected)|rejected (by|due to) (content|policy)|header .* "
        r"rejected|not (be )?delivered .* polic",
    ),
    ("policyviolation", r"polic(y|ies)|prohibited|not (allowed|permitted)|violat"),
    (
        "rejected",
        r"purported responsible address|sender (address )?(rejected|denied|unknown|verify failed)|"
        r"envelope sender|from address|domain of sender|return path|mail from|rejected (the "
        r")?sender|sender.*not (allowed|accepted)",
    ),
    (
        "securityerror",
        r"\btls\b|\bssl\b|certificate|encryption required|security (error|polic|require|"
        r"reason|level|violation)",
    ),
    (
        "notaccept",
        r"does not accept (e-?)?mail|not accept(ing)? (network )?(mail|messages)|null mx|accepts "
        r"no mail|no smtp service",
    ),
    (
        "expired",
        r"expired|has been delayed|not (been )?delivered within|warning message only|delivery "
        r"time|retry (time(out)?|period) (exceeded|expired)|could not be delivered (for|within)|"
        r"giving up|timed? ?out|too long|delay(ed)? .*(days|hours)|queue(?! file)|no (answer|"
        r"response) from",
    ),
    (
        "networkerror",
        r"network|connection (lost|reset|timed out)|lost connection|could not connect|unable to "
        r"connect|routing loop|loop detected|too many hops|hop count",
    ),
    ("syntaxerror", r"syntax error|command unrecognized|bad sequence|unrecognized command"),
    ("systemfull", r"system (is )?full|disk full|insufficient disk"),
    (
        "systemerror",
        r"system error|internal (server )?error|temporary (local )?(problem|failure)|server error|"
        r"local error|configuration error|misconfigur|(queue )?file write error|i/o error",
    ),
    ("contenterror", r"content|encoding|mime|8bit|charset"),
    ("onhold", r"on hold|deferred"),
    ("mailererror", r"mailer error|program|pipe|command (died|failed)|procmail|exit (code|status)"),
    # the last resort: "rejected" and nothing more specific, unless the status says more
    ("blocked_generic", r"\brejected\b|\(bl\)"),
)
COMPILED = tuple((reason, re.compile(pattern)) for reason, pattern in TEXT_RULES)
SENDER_REFUSED = re.compile(
    r"domain of sender|sender address (rejected|denied|unknown|does not exist)|sender verify "
    r"failed|sender (domain|address) (not found|does not exist|unknown|must exist)"
)

# RFC 3463 status codes that say one thing only
STATUS_RULES: dict[str, str] = {
    "5.1.1": "userunknown",
    "5.1.0": "userunknown",
    "5.1.3": "userunknown",
    "5.1.6": "hasmoved",
    "5.1.2": "hostunknown",
    "5.4.4": "hostunknown",
    "5.1.10": "notaccept",
    "4.2.2": "mailboxfull",
    "5.2.2": "mailboxfull",
    "5.2.3": "mesgtoobig",
    "5.3.4": "mesgtoobig",
    "4.4.7": "expired",
    "5.4.7": "expired",
    "5.7.26": "authfailure",
    "5.7.25": "requireptr",
    "5.2.1": "suspend",
    "5.4.6": "networkerror",
    "5.7.0": "securityerror",
    "5.4.1": "norelaying",
    "5.1.7": "rejected",
    "5.1.8": "rejected",
    "4.4.1": "networkerror",
    "4.4.2": "networkerror",
}
STATUS = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")

# the SMTP command the remote server was answering, as MTAs write it in their reports:
# Postfix "(in reply to end of DATA command)", Exim "after RCPT TO:<...>", sendmail and
# Courier transcripts ">>> DATA" then "<<< 550 ..."
ACCOUNT_ABSENT = re.compile(NO_SUCH_ACCOUNT + r"|account .{0,20}does not exist")
SMTP_COMMAND = re.compile(
    r"(?:in reply to|after|>>>)\s+(end of data|data|rcpt to|rcpt|mail from|helo|ehlo)\b", re.I
)


def smtp_stage(text: str) -> str | None:
    """ "RCPT", "DATA", "MAIL" or "HELO": the last command the report says was answered."""
    found = SMTP_COMMAND.findall(text or "")
    if not found:
        return None
    last = found[-1].upper()
    return "DATA" if last.endswith("DATA") else last.split()[0].replace("EHLO", "HELO")


def status_of(text: str) -> str | None:
    """The RFC 3463 status the words report: the first failure (4.x.x, 5.x.x) when there is
    one, else the first status. A session transcript lists the server's "250 2.1.5 Ok"
    replies before the one that failed; the failure is what the report is about."""
    statuses = [".".join(found) for found in STATUS.findall(text or "")]
    return next((s for s in statuses if s[0] in "45"), statuses[0] if statuses else None)


def reason_of(
    status: str | None, diagnostic: str, action: str | None = None, told: str = ""
) -> str:
    """The reason for one recipient: the words first when they are specific, then the status.

    `told` is the rest of the report about this recipient (a session transcript, the MTA's
    own summary), read for the SMTP command the refusal answered."""
    reason = _reason(status, diagnostic, action)
    if (
        reason == "userunknown"
        and smtp_stage(told) == "DATA"
        and not _says_no_mailbox(status, diagnostic)
    ):
        # the server took the recipient at RCPT TO and refused the message after reading it:
        # a refusal of the content ("user unknown" or not), which says nothing certain about
        # the address (Sisimai's "filtered"), so soft: no suppression for good
        return "filtered"
    return reason


def _says_no_mailbox(status: str | None, words: str) -> bool:
    """A bad-mailbox status (x.1.x) in the report or the server's reply, or a provider's
    sentence that there is no such account."""
    statuses = [status, *(".".join(found) for found in STATUS.findall(words))]
    return any((s or "")[1:].startswith(".1.") for s in statuses) or bool(
        ACCOUNT_ABSENT.search(words.lower())
    )


def _reason(status: str | None, diagnostic: str, action: str | None) -> str:
    # "deliverable": an address check's report (Postfix `sendmail -bv`); any 2.x.x is success
    if (action and action.lower() in ("delivered", "relayed", "expanded", "deliverable")) or (
        status or ""
    ).startswith("2."):
        return "delivered"
    text = (diagnostic or "").lower().replace("\u2019", "'")
    # a report's generic status (5.0.0, or none) gives way to the server's own, in its words
    if status is None or status.endswith(".0.0"):
        status = status_of(text) or status
    by_status = STATUS_RULES.get(status or "")
    if by_status == "rejected" or SENDER_REFUSED.search(text):
        # the sender's address or domain was refused (5.1.7, 5.1.8): nothing is wrong with
        # the recipient's, whatever else the words say about a domain not existing
        return "rejected"
    by_text = next((reason for reason, pattern in COMPILED if pattern.search(text)), None)
    if by_text == "hostunknown" and (status or "").startswith("4"):
        return "networkerror"  # a DNS failure that may pass: Sisimai's networkerror, soft
    if by_status in (
        "userunknown",
        "hostunknown",
        "hasmoved",
        "mailboxfull",
        "mesgtoobig",
        "expired",
    ) and by_text not in (
        "spamdetected",
        "blocked",
        "authfailure",
        "requireptr",
        "norelaying",
        "policyviolation",
        "filtered",
        # "inactive", "disabled" beside a bad-mailbox status (5.1.1) is a mailbox gone for
        # good; beside any other status it may come back
        *(() if by_status == "userunknown" else ("suspend",)),
        "rejected",
        "speeding",
        "toomanyconn",
        # a full mailbox is temporary, whatever status the server put beside the words
        "mailboxfull",
    ):
        return by_status
    if by_text == "blocked_generic":
        return by_status or "blocked"
    if by_text:
        return by_text
    if by_status:
        return by_status
    if action and action.lower() == "delayed":
        return "expired"
    return "undefined"


def hard_or_soft(reason: str) -> str | None:
    if reason == "delivered":
        return None
    return "hard" if reason in HARD_REASONS else "soft"
