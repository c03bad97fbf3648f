"""Demo and benchmark data: a workspace of config and landing files with realistic mess.

Deterministic for a seed. Everything is built column-wise with numpy and polars
(1M leads in well under a minute). Beside the data it writes its ground truth
(`truth/`): the true person behind every lead row and which rows are bad and why,
so tests and benchmarks can score the pipeline against it.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import numpy as np
import polars as pl

from core.workspace import Workspace

EXAMPLE_CONFIG = Path(__file__).parent / "example_config"
# the client the example campaigns run for (example_config/campaigns.yml)
CLIENT_ID = "harbour_clinics"

FIRST = [
    "Aoife",
    "Amelia",
    "Ava",
    "Ben",
    "Callum",
    "Chloe",
    "Ciaran",
    "Daniel",
    "Darragh",
    "Ella",
    "Emma",
    "Erin",
    "Ethan",
    "Finn",
    "Freya",
    "George",
    "Grace",
    "Hannah",
    "Harry",
    "Isla",
    "Jack",
    "Jacob",
    "James",
    "Jessica",
    "Liam",
    "Lily",
    "Lucy",
    "Maya",
    "Mia",
    "Noah",
    "Oliver",
    "Oscar",
    "Priya",
    "Rohan",
    "Ruby",
    "Saoirse",
    "Sean",
    "Sofia",
    "Thomas",
    "Zara",
    "Maria",
    "Carlos",
    "Wei",
    "Yuki",
    "Fatima",
    "Omar",
    "Anna",
    "Lukas",
    "Sophie",
    "Mateo",
]
LAST = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Murphy",
    "Kelly",
    "Byrne",
    "Ryan",
    "OBrien",
    "Walsh",
    "Doyle",
    "Garcia",
    "Martinez",
    "Nguyen",
    "Patel",
    "Khan",
    "Chen",
    "Mueller",
    "Schmidt",
    "Rossi",
    "Novak",
    "Kowalski",
    "Silva",
    "Ahmed",
    "Hughes",
    "Edwards",
    "Lewis",
    "Harris",
    "Martin",
    "Cooper",
    "King",
    "Baker",
    "Morgan",
]
ADJ = [
    "bright",
    "north",
    "river",
    "oak",
    "silver",
    "green",
    "blue",
    "swift",
    "clear",
    "true",
    "kind",
    "prime",
    "city",
    "harbour",
]
NOUN = [
    "smile",
    "dental",
    "physio",
    "yoga",
    "beauty",
    "vet",
    "hair",
    "skin",
    "wellness",
    "pilates",
    "fitness",
    "eye",
]
KIND = ["clinic", "studio", "salon", "practice", "agency"]
ROLES = (
    ["Owner"] * 4
    + ["Founder"] * 2
    + ["Managing Director", "Operations Manager", "Practice Manager"] * 2
    + ["Receptionist", "Marketing Assistant", "Accountant", "Intern"]
)
COUNTRIES = {  # share, cities, national number format, first number, how many numbers
    "GB": (
        0.55,
        ["London", "Leeds", "Bristol", "Manchester", "Glasgow"],
        "{:010d}",
        7_400_000_000,
        600_000_000,
    ),
    "IE": (0.15, ["Dublin", "Cork", "Galway", "Limerick"], "8{:08d}", 50_000_000, 30_000_000),
    "US": (
        0.25,
        ["New York", "Chicago", "Austin", "Boston", "Seattle"],
        "312{:07d}",
        2_000_000,
        7_000_000,
    ),
    "DE": (0.05, ["Berlin", "Hamburg", "Munich"], "151{:08d}", 0, 100_000_000),
}
DIAL = {"GB": "+44", "IE": "+353", "US": "+1", "DE": "+49"}
FREE_MAIL = ["gmail.com", "outlook.com", "yahoo.co.uk", "hotmail.com", "icloud.com"]
SOURCES = {  # source_id: (share of rows, file)
    "trade_directory": (0.38, "trade_directory.csv"),
    "crm_export": (0.20, "crm_export.csv"),
    "us_event_2026": (0.15, "us_event_2026.csv"),
    "partner_intro": (0.10, "partner_intro.parquet"),
    "research_pool": (0.10, "research_pool.csv"),
    "web_form": (0.07, "web_form.jsonl"),
}
SUPPRESSION_REASONS = [
    "unsubscribe",
    "do_not_contact",
    "complaint",
    "hard_bounce",
    "invalid_recipient",
]
EVIDENCE = [
    # class, share, category, text
    (
        "Verified Fact",
        0.20,
        "booking process",
        "The website offers online booking through a third-party form",
    ),
    (
        "Public Observation",
        0.21,
        "website condition",
        "The booking page asks for 14 fields before showing availability",
    ),
    # sensitive by category (config/evidence.yml), though the file does not flag it
    (
        "Public Observation",
        0.04,
        "personal circumstances",
        "The owner wrote publicly about time off after a family bereavement",
    ),
    (
        "Derived Signal",
        0.15,
        "growth signals",
        "Two new practitioner roles were advertised this quarter",
    ),
    ("Estimate", 0.10, "company size", "Team size is estimated at 8-12 people"),
    (
        "AI Inference",
        0.18,
        "operational gaps",
        "The business probably loses evening enquiries to competitors",
    ),
    (
        "Unverified Claim",
        0.12,
        "customer complaints",
        "A forum post says phone bookings go unanswered",
    ),
]


@dataclass(frozen=True)
class Generated:
    workspace: Workspace
    lead_rows: int
    persons: int
    companies: int
    files: list[Path]


def _pick(
    rng: np.random.Generator, values: list[str], n: int, p: list[float] | None = None
) -> np.ndarray:
    return np.asarray(values, dtype=object)[rng.choice(len(values), size=n, p=p)]


def _companies(rng: np.random.Generator, n: int) -> pl.DataFrame:
    idx = np.arange(n)
    countries = list(COUNTRIES)
    country = _pick(rng, countries, n, [COUNTRIES[c][0] for c in countries])
    frame = pl.DataFrame(
        {
            "company_idx": idx,
            "adj": _pick(rng, ADJ, n),
            "noun": _pick(rng, NOUN, n),
            "kind": _pick(rng, KIND, n),
            "country": country,
        }
    )
    combos = len(ADJ) * len(NOUN) * len(KIND)
    suffix = (
        pl.when(pl.col("company_idx") >= combos)
        .then(pl.col("company_idx").cast(pl.String))
        .otherwise(pl.lit(""))
    )
    return frame.with_columns(
        company_id=pl.format("C{}", pl.col("company_idx")),
        company_name=pl.concat_str(
            pl.col("adj").str.to_titlecase(),
            pl.lit(" "),
            pl.col("noun").str.to_titlecase(),
            pl.lit(" "),
            pl.col("kind").str.to_titlecase(),
            separator="",
        ),
        domain=pl.concat_str(
            pl.col("adj"), pl.col("noun"), pl.col("kind"), suffix, pl.lit(".example")
        ),
    ).with_columns(
        # company names repeat across countries; the index keeps each one distinct
        company_name=pl.when(pl.col("company_idx") >= combos)
        .then(pl.format("{} {}", pl.col("company_name"), pl.col("company_idx")))
        .otherwise(pl.col("company_name"))
    )


def _persons(rng: np.random.Generator, n: int, companies: pl.DataFrame) -> pl.DataFrame:
    company_idx = rng.integers(0, companies.height, size=n)
    frame = pl.DataFrame(
        {
            "person_idx": np.arange(n),
            "company_idx": company_idx,
            "first_name": _pick(rng, FIRST, n),
            "last_name": _pick(rng, LAST, n),
            "role": _pick(rng, ROLES, n),
            "mail_kind": rng.choice(3, size=n, p=[0.89, 0.08, 0.03]),  # own domain, free mail, role
            "free_domain": _pick(rng, FREE_MAIL, n),
        }
    ).join(
        companies.select("company_idx", "company_id", "company_name", "domain", "country"),
        on="company_idx",
    )
    frame = frame.sort("person_idx")
    cities = pl.Series(
        [
            COUNTRIES[c][1][i % len(COUNTRIES[c][1])]
            for c, i in zip(frame["country"], rng.integers(0, 60, n), strict=True)
        ]
    )
    subscriber = [
        DIAL[c] + COUNTRIES[c][2].format(COUNTRIES[c][3] + (i * 7_919 + 13) % COUNTRIES[c][4])
        for c, i in zip(frame["country"], frame["person_idx"], strict=True)
    ]
    local = pl.concat_str(pl.col("first_name"), pl.lit("."), pl.col("last_name")).str.to_lowercase()
    frame = frame.with_columns(city=cities, phone_e164=pl.Series(subscriber), local=local)
    frame = frame.with_columns(
        mail_domain=pl.when(pl.col("mail_kind") == 1)
        .then(pl.col("free_domain"))
        .otherwise(pl.col("domain")),
        local=pl.when(pl.col("mail_kind") == 2).then(pl.lit("info")).otherwise(pl.col("local")),
    )
    # the same local part at the same domain gets a number, as mail providers do
    seq = pl.col("person_idx").cum_count().over(["local", "mail_domain"]) - 1
    frame = frame.with_columns(
        local=pl.when((seq > 0) & (pl.col("mail_kind") != 2))
        .then(pl.format("{}{}", pl.col("local"), seq))
        .otherwise(pl.col("local"))
    )
    return frame.with_columns(
        person_id=pl.format("P{}", pl.col("person_idx")),
        email=pl.concat_str(pl.col("local"), pl.lit("@"), pl.col("mail_domain")),
    ).drop("free_domain", "local")


def _formatted_phone(variant: pl.Expr) -> pl.Expr:
    e164 = pl.col("phone_e164")
    dial_len = pl.col("dial").str.len_chars()
    national = e164.str.slice(dial_len)
    trunk = pl.when(pl.col("country") == "US").then(pl.lit("")).otherwise(pl.lit("0"))
    return (
        pl.when(variant == 0)
        .then(e164)
        .when(variant == 1)
        .then(pl.concat_str(trunk, national.str.slice(0, 4), pl.lit(" "), national.str.slice(4)))
        .when(variant == 2)
        .then(
            pl.concat_str(
                pl.col("dial"),
                pl.lit(" ("),
                national.str.slice(0, 3),
                pl.lit(") "),
                national.str.slice(3, 3),
                pl.lit("-"),
                national.str.slice(6),
            )
        )
        .otherwise(
            pl.concat_str(
                pl.col("dial"),
                pl.lit(" "),
                national.str.slice(0, 4),
                pl.lit(" "),
                national.str.slice(4),
            )
        )
    )


def _lead_rows(
    rng: np.random.Generator, n_rows: int, persons: pl.DataFrame, as_of: date
) -> pl.DataFrame:
    n_persons = persons.height
    extra = n_rows - n_persons
    # every person once, then repeats (the same person from another source)
    person_idx = np.concatenate([np.arange(n_persons), rng.integers(0, n_persons, size=extra)])
    is_repeat = np.concatenate([np.zeros(n_persons, bool), np.ones(extra, bool)])
    order = rng.permutation(n_rows)
    person_idx, is_repeat = person_idx[order], is_repeat[order]
    roll = rng.random(n_rows)
    defect = np.full(n_rows, "", dtype=object)
    cuts = [
        ("no_source", 0.004),
        ("unregistered_source", 0.004),
        ("impossible_date", 0.003),
        ("future_date", 0.002),
        ("no_identity", 0.002),
        ("invalid_email", 0.02),
        ("invalid_phone", 0.02),
        ("conflicting_identity", 0.01),
    ]
    low = 0.0
    for name, share in cuts:
        defect[(roll >= low) & (roll < low + share)] = name
        low += share
    # a conflict needs a second record of the same address: 6% of repeats carry one
    defect[is_repeat & (defect == "") & (rng.random(n_rows) < 0.06)] = "conflicting_identity"
    source_ids = list(SOURCES)
    source = _pick(rng, source_ids, n_rows, [SOURCES[s][0] for s in source_ids])
    captured = np.datetime64(as_of) - rng.integers(1, 700, size=n_rows).astype("timedelta64[D]")
    rows = (
        pl.DataFrame(
            {
                "row_idx": np.arange(n_rows),
                "person_idx": person_idx,
                "is_repeat": is_repeat,
                "defect": defect,
                "source_id": source,
                "captured": captured,
                "fmt": rng.integers(0, 4, size=n_rows),
                "other_person": rng.integers(0, n_persons, size=n_rows),
            }
        )
        .join(persons, on="person_idx", how="left")
        .sort("row_idx")
    )
    other = persons.select(
        pl.col("person_idx").alias("other_person"),
        pl.col("first_name").alias("other_first"),
        pl.col("last_name").alias("other_last"),
        pl.col("company_name").alias("other_company"),
        pl.col("domain").alias("other_domain"),
    )
    rows = rows.join(other, on="other_person", how="left").sort("row_idx")
    rows = rows.with_columns(dial=pl.col("country").replace_strict(DIAL, return_dtype=pl.String))
    d = pl.col("defect")
    rep = pl.col("is_repeat")
    fmt = pl.col("fmt")
    conflicting = d == "conflicting_identity"
    typo = pl.concat_str(
        pl.col("first_name").str.slice(0, 1),
        pl.col("first_name").str.slice(2, 1),
        pl.col("first_name").str.slice(1, 1),
        pl.col("first_name").str.slice(3),
    )
    first = (
        pl.when(conflicting)
        .then(pl.col("other_first"))
        .when(rep & (fmt == 1))
        .then(pl.col("first_name").str.to_uppercase())
        .when(rep & (fmt == 2))
        .then(typo)
        .otherwise(pl.col("first_name"))
    )
    last = (
        pl.when(conflicting)
        .then(pl.col("other_last"))
        .when(rep & (fmt == 1))
        .then(pl.col("last_name").str.to_uppercase())
        .otherwise(pl.col("last_name"))
    )
    email = (
        pl.when(d == "invalid_email")
        .then(pl.col("email").str.replace("@", "@@"))
        .when(d == "no_identity")
        .then(None)
        .when(rep & (fmt == 1))
        .then(pl.col("email").str.to_uppercase())
        .when(rep & (fmt == 3))
        .then(pl.format(" {} {} <{}> ", pl.col("first_name"), pl.col("last_name"), pl.col("email")))
        .otherwise(pl.col("email"))
    )
    phone = (
        pl.when(d == "invalid_phone")
        .then(pl.lit("12345"))
        .when(d == "no_identity")
        .then(None)
        .when(conflicting)
        .then(None)
        .otherwise(_formatted_phone(pl.when(rep).then(fmt).otherwise(0)))
    )
    website = (
        pl.when(d == "no_identity")
        .then(None)
        .when(fmt == 0)
        .then(pl.format("https://www.{}/", pl.col("domain")))
        .when(fmt == 1)
        .then(pl.col("domain").str.to_uppercase())
        .when(fmt == 2)
        .then(pl.format("http://{}/contact?ref=dir", pl.col("domain")))
        .otherwise(None)
    )
    company = (
        pl.when(d == "no_identity")
        .then(None)
        .when(conflicting)
        .then(pl.col("other_company"))
        .otherwise(pl.col("company_name"))
    )
    captured_text = (
        pl.when(d == "impossible_date")
        .then(pl.lit("2026-02-30"))
        .when(d == "future_date")
        .then(pl.lit((as_of + timedelta(days=40)).isoformat()))
        .otherwise(pl.col("captured").cast(pl.String))
    )
    source_col = (
        pl.when(d == "no_source")
        .then(None)
        .when(d == "unregistered_source")
        .then(pl.lit("bought_list_2019"))
        .otherwise(pl.col("source_id"))
    )
    file_source = pl.col("source_id")
    out = rows.with_columns(
        out_source=source_col,
        out_first=first,
        out_last=last,
        out_email=email,
        out_phone=phone,
        out_website=website,
        out_company=company,
        # a row with a name but no address, phone, company or city identifies nobody
        out_city=pl.when(d == "no_identity").then(None).otherwise(pl.col("city")),
        out_captured=captured_text,
        file=file_source.replace_strict(
            {k: v[1] for k, v in SOURCES.items()}, return_dtype=pl.String
        ),
    )
    quarantined = {
        "no_source",
        "unregistered_source",
        "impossible_date",
        "future_date",
        "no_identity",
    }
    return out.with_columns(
        row_number=(pl.col("row_idx").cum_count().over("file")).cast(pl.Int64),
        expected_table=pl.when(d.is_in(list(quarantined)))
        .then(pl.lit("quarantine"))
        .otherwise(pl.lit("raw")),
        true_person_id=pl.when(conflicting)
        .then(pl.format("X{}", pl.col("row_idx")))
        .otherwise(pl.col("person_id")),
    )


def _write_leads(rows: pl.DataFrame, landing: Path) -> list[Path]:
    files = []
    for file_name in sorted(rows["file"].unique().to_list()):
        part = rows.filter(pl.col("file") == file_name).sort("row_number")
        table = part.select(
            pl.col("out_source").alias("source_id"),
            pl.format(
                "{}-{}", pl.col("source_id").str.to_uppercase().str.slice(0, 3), pl.col("row_idx")
            ).alias("source_record"),
            pl.col("out_captured").alias("captured_on"),
            pl.col("out_first").alias("first_name"),
            pl.col("out_last").alias("last_name"),
            pl.col("out_email").alias("email"),
            pl.col("out_phone").alias("phone"),
            pl.col("out_company").alias("company_name"),
            pl.col("out_website").alias("company_website"),
            pl.col("role"),
            pl.col("country"),
            pl.col("out_city").alias("city"),
        )
        path = landing / file_name
        if file_name.endswith(".csv"):
            if file_name.startswith("trade"):
                # a column the registry does not know: kept in `extra`, never dropped
                table = table.with_columns(listing_category=pl.lit("Health & Beauty"))
            table.write_csv(path)
        elif file_name.endswith(".parquet"):
            table.write_parquet(path)
        else:
            # inbound form leads carry the answer the prospect gave
            table = table.with_columns(form_answer=pl.lit("We lose bookings after hours"))
            table.write_ndjson(path)
        files.append(path)
    return files


def generate(out: Path, leads: int, seed: int, as_of: date, mail: int = 4) -> Generated:
    """Write a whole workspace (config, landing files, `mail` inbound messages, truth) for
    `leads` lead rows."""
    if leads < 10:
        raise ValueError(f"--leads must be at least 10, got {leads}")
    rng = np.random.default_rng(seed)
    ws = Workspace(Path(out).resolve()).create()
    for path in EXAMPLE_CONFIG.glob("*.yml"):
        shutil.copyfile(path, ws.config_dir / path.name)
    n_persons = max(5, int(leads / 1.18))
    companies = _companies(rng, max(3, n_persons // 4))
    persons = _persons(rng, n_persons, companies)
    rows = _lead_rows(rng, leads, persons, as_of)
    files = _write_leads(rows, ws.landing("leads"))
    files += _write_suppressions(rng, persons, companies, ws.landing("suppressions"), as_of)
    files += _write_intelligence(rng, persons, companies, ws.landing("intelligence"), as_of)
    files += _write_signals(rng, companies, ws.landing("signals"), as_of)
    files += _write_events(rng, persons, ws.landing("events"), as_of)
    _write_mailbox(rng, persons, ws.mailbox, as_of, mail)
    ws.truth.mkdir(parents=True, exist_ok=True)
    rows.select(
        "file",
        "row_number",
        "true_person_id",
        "company_id",
        "expected_table",
        "defect",
        "is_repeat",
        "source_id",
    ).write_parquet(ws.truth / "lead_rows.parquet")
    persons.select(
        "person_id",
        "company_id",
        "email",
        "phone_e164",
        "first_name",
        "last_name",
        "role",
        "country",
    ).write_parquet(ws.truth / "persons.parquet")
    return Generated(ws, leads, n_persons, companies.height, files)


MAIL_KINDS = ("opt_out", "out_of_office", "interested", "hard_bounce")


def _write_mailbox(rng, persons, folder: Path, as_of: date, count: int = 4) -> list[Path]:
    """Replies in the mailbox, as .eml files, so inbound mail is at work: an opt-out, an
    out-of-office with a return date, an interested reply and a hard bounce, in turn, from
    `count` different people. The first of each kind is `<kind>.eml`, later ones
    `<kind>-<n>.eml` (benchmarks ask for mail in proportion to the leads)."""
    with_email = persons.filter(pl.col("email").is_not_null())
    count = min(count, with_email.height)
    if count < len(MAIL_KINDS):
        return []
    chosen = with_email[rng.choice(with_email.height, size=count, replace=False)].to_dicts()
    when = format_datetime(
        datetime.combine(as_of - timedelta(days=1), datetime.min.time()).replace(
            hour=11, tzinfo=UTC
        )
    )
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for i, person in enumerate(chosen):
        kind = MAIL_KINDS[i % len(MAIL_KINDS)]
        round_ = i // len(MAIL_KINDS)
        path = folder / (f"{kind}.eml" if round_ == 0 else f"{kind}-{round_}.eml")
        if kind == "hard_bounce":
            path.write_bytes(_bounce(person, when))
        else:
            path.write_bytes(bytes(_reply(kind, person, when, as_of)))
        written.append(path)
    return written


def _reply(kind: str, person: dict, when: str, as_of: date) -> EmailMessage:
    back = as_of + timedelta(days=9)
    subject, body, headers = {
        "opt_out": ("Re: A thought on your booking page", "Please remove me from your list.", {}),
        "out_of_office": (
            "Automatic reply: A thought on your booking page",
            f"I am out of the office until {back.day} {back:%B}.",
            {"Auto-Submitted": "auto-replied"},
        ),
        "interested": (
            "Re: A thought on your booking page",
            "Yes please, send the checklist over.",
            {},
        ),
    }[kind]
    message = EmailMessage()
    message["From"] = f"{person['first_name']} {person['last_name']} <{person['email']}>"
    message["To"] = "alex.morgan@mwms.example"
    message["Subject"] = subject
    message["Date"] = when
    message["Message-ID"] = f"<demo-{kind}-{person['person_id']}@{person['email'].split('@')[1]}>"
    for key, value in headers.items():
        message[key] = value
    message.set_content(f"{body}\n\n> Would it be useful if I sent over the 12-point checklist?\n")
    return message


def _bounce(person: dict, when: str) -> bytes:
    bounced = person["email"]
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.mwms.example>\r\nTo: "
        "alex.morgan@mwms.example\r\n"
        f"Subject: Undelivered Mail Returned to Sender\r\nDate: {when}\r\n"
        f"Message-ID: <demo-bounce-{person['person_id']}@mx.mwms.example>\r\n"
        "Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; "
        "mx.mwms.example\r\n\r\n"
        f"Final-Recipient: rfc822; {bounced}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        f"Diagnostic-Code: smtp; 550 5.1.1 <{bounced}>: Recipient address rejected: User "
        f"unknown\r\n--B--\r\n"
    ).encode()


def _write_suppressions(rng, persons, companies, folder: Path, as_of: date) -> list[Path]:
    n = persons.height
    chosen = rng.choice(n, size=max(1, int(n * 0.03)), replace=False)
    by_email = (
        persons[chosen]
        .select(
            pl.format("SUP-E{}", pl.col("person_idx")).alias("suppression_ref"),
            pl.col("email"),
            pl.lit(None, pl.String).alias("domain"),
            pl.lit(None, pl.String).alias("phone"),
        )
        .with_columns(reason=pl.Series(_pick(rng, SUPPRESSION_REASONS, len(chosen))))
    )
    doms = rng.choice(companies.height, size=max(1, int(companies.height * 0.005)), replace=False)
    by_domain = companies[doms].select(
        pl.format("SUP-D{}", pl.col("company_idx")).alias("suppression_ref"),
        pl.lit(None, pl.String).alias("email"),
        pl.col("domain"),
        pl.lit(None, pl.String).alias("phone"),
        pl.lit("client_exclusion").alias("reason"),
    )
    phones = rng.choice(n, size=max(1, int(n * 0.005)), replace=False)
    by_phone = persons[phones].select(
        pl.format("SUP-P{}", pl.col("person_idx")).alias("suppression_ref"),
        pl.lit(None, pl.String).alias("email"),
        pl.lit(None, pl.String).alias("domain"),
        pl.col("phone_e164").alias("phone"),
        pl.lit("do_not_contact").alias("reason"),
    )
    # scoped suppressions: a person who asked for no more LinkedIn notes (channel scope),
    # and a client's own exclusion list (client scope, for that client's campaigns only)
    on_channel = rng.choice(n, size=max(1, int(n * 0.01)), replace=False)
    by_channel = (
        persons[on_channel]
        .select(
            pl.format("SUP-L{}", pl.col("person_idx")).alias("suppression_ref"),
            pl.col("email"),
            pl.lit(None, pl.String).alias("domain"),
            pl.lit(None, pl.String).alias("phone"),
            pl.lit("unsubscribe").alias("reason"),
        )
        .with_columns(scope=pl.lit("channel"), scope_value=pl.lit("linkedin"))
    )
    table = pl.concat(
        [
            pl.concat([by_email, by_phone]).with_columns(
                scope=pl.lit("global"), scope_value=pl.lit(None, pl.String)
            ),
            by_domain.with_columns(scope=pl.lit("client"), scope_value=pl.lit(CLIENT_ID)),
            by_channel,
        ]
    ).with_columns(
        effective_at=pl.lit(f"{(as_of - timedelta(days=3)).isoformat()}T10:00:00Z"),
        requested_by=pl.lit("compliance"),
    )
    path = folder / "suppressions.csv"
    table.write_csv(path)
    return [path]


def _write_intelligence(rng, persons, companies, folder: Path, as_of: date) -> list[Path]:
    n = companies.height
    count = int(n * 1.5)
    comp = rng.integers(0, n, size=count)
    cls = rng.choice(len(EVIDENCE), size=count, p=[e[1] for e in EVIDENCE])
    age = rng.integers(1, 500, size=count)
    frame = (
        pl.DataFrame({"company_idx": comp, "cls": cls, "age": age, "i": np.arange(count)})
        .join(companies.select("company_idx", "domain"), on="company_idx")
        .sort("i")
    )
    table = frame.select(
        pl.format("OBS-{}", pl.col("i")).alias("evidence_ref"),
        pl.lit(None, pl.String).alias("email"),
        pl.col("domain").alias("company_domain"),
        pl.col("cls")
        .replace_strict({i: e[2] for i, e in enumerate(EVIDENCE)}, return_dtype=pl.String)
        .alias("category"),
        pl.col("cls")
        .replace_strict({i: e[3] for i, e in enumerate(EVIDENCE)}, return_dtype=pl.String)
        .alias("observation"),
        pl.col("cls")
        .replace_strict({i: e[0] for i, e in enumerate(EVIDENCE)}, return_dtype=pl.String)
        .alias("evidence_class"),
        pl.lit("Company website").alias("source_name"),
        pl.format("https://www.{}/book", pl.col("domain")).alias("source_url"),
        (pl.lit(as_of) - pl.duration(days=pl.col("age"))).cast(pl.String).alias("source_date"),
        (0.5 + (pl.col("i") % 5) / 10).cast(pl.String).alias("confidence"),
        pl.when(pl.col("i") % 50 == 0)
        .then(pl.lit("true"))
        .otherwise(pl.lit("false"))
        .alias("is_sensitive"),
    )
    path = folder / "observations.jsonl"
    table.write_ndjson(path)
    return [path]


def _write_signals(rng, companies, folder: Path, as_of: date) -> list[Path]:
    n = companies.height
    chosen = rng.choice(n, size=max(1, int(n * 0.2)), replace=False)
    observed = rng.integers(1, 90, size=len(chosen))
    life = rng.integers(14, 120, size=len(chosen))
    table = (
        companies[chosen]
        .with_columns(observed=pl.Series(observed), life=pl.Series(life))
        .select(
            pl.format("SIG-{}", pl.col("company_idx")).alias("signal_ref"),
            pl.col("domain").alias("company_domain"),
            pl.lit("hiring").alias("signal_type"),
            pl.lit("Advertised a front-desk role").alias("description"),
            pl.format("https://jobs.example/{}", pl.col("company_idx")).alias("source_url"),
            (pl.lit(as_of) - pl.duration(days=pl.col("observed")))
            .cast(pl.String)
            .alias("observed_on"),
            (
                pl.lit(as_of)
                - pl.duration(days=pl.col("observed"))
                + pl.duration(days=pl.col("life"))
            )
            .cast(pl.String)
            .alias("expires_on"),
        )
    )
    path = folder / "signals.csv"
    table.write_csv(path)
    return [path]


def _write_events(rng, persons, folder: Path, as_of: date) -> list[Path]:
    n = persons.height
    chosen = rng.choice(n, size=max(1, int(n * 0.002)), replace=False)
    table = persons[chosen].select(
        pl.format("EVT-{}", pl.col("person_idx")).alias("event_ref"),
        pl.lit("disqualified").alias("event_type"),
        pl.lit(f"{(as_of - timedelta(days=2)).isoformat()}T15:30:00Z").alias("occurred_at"),
        pl.col("email"),
        pl.lit(None, pl.String).alias("campaign_id"),
        pl.lit(None, pl.String).alias("communication_id"),
        pl.format("crm-note-{}", pl.col("person_idx")).alias("evidence_ref"),
        pl.lit("existing active client").alias("detail"),
    )
    path = folder / "events.csv"
    table.write_csv(path)
    return [path]
