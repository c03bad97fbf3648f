"""B2B lead records with a known person behind each, for measuring identity resolution
where the demo generator is too kind: people at one company share its switchboard number,
colleagues share surnames, names arrive swapped, shortened or misspelt, addresses carry
typos in the local part and in the domain, and some records have no address or no name.

    python -m benchmarks.b2b_identity --people 6000 --seed 2 --out leads.csv

Written after the identity rules, never tuned on: seed 1 is the tuning part, seed 2 the
held-out part (`benchmarks/identity_side_by_side.py` reports both). Columns are the
lead landing schema's plus `true_person`.
"""

from __future__ import annotations

import argparse
import random
import string
from pathlib import Path

import polars as pl

FIRST = [
    "james",
    "mary",
    "john",
    "patricia",
    "robert",
    "jennifer",
    "michael",
    "linda",
    "william",
    "elizabeth",
    "david",
    "barbara",
    "richard",
    "susan",
    "joseph",
    "jessica",
    "thomas",
    "sarah",
    "charles",
    "karen",
    "daniel",
    "nancy",
    "matthew",
    "lisa",
    "anthony",
    "betty",
    "mark",
    "margaret",
    "donald",
    "sandra",
    "steven",
    "ashley",
    "paul",
    "kimberly",
    "andrew",
    "emily",
    "joshua",
    "donna",
    "kenneth",
    "michelle",
    "kevin",
    "carol",
    "brian",
    "amanda",
    "george",
    "melissa",
    "edward",
    "deborah",
    "ronald",
    "stephanie",
    "timothy",
    "rebecca",
    "jason",
    "sharon",
    "jeffrey",
    "laura",
    "ryan",
    "cynthia",
    "jacob",
    "kathleen",
    "gary",
    "amy",
    "nicholas",
    "angela",
    "eric",
    "shirley",
    "jonathan",
    "anna",
    "stephen",
    "brenda",
    "larry",
    "pamela",
    "justin",
    "emma",
    "scott",
    "nicole",
    "brandon",
    "helen",
    "benjamin",
    "samantha",
    "samuel",
    "katherine",
    "gregory",
    "christine",
    "frank",
    "debra",
    "alexander",
    "rachel",
    "raymond",
    "carolyn",
    "patrick",
    "janet",
    "jack",
    "catherine",
    "dennis",
    "maria",
]
LAST = [
    "smith",
    "johnson",
    "williams",
    "brown",
    "jones",
    "garcia",
    "miller",
    "davis",
    "rodriguez",
    "martinez",
    "hernandez",
    "lopez",
    "gonzalez",
    "wilson",
    "anderson",
    "thomas",
    "taylor",
    "moore",
    "jackson",
    "martin",
    "lee",
    "perez",
    "thompson",
    "white",
    "harris",
    "sanchez",
    "clark",
    "ramirez",
    "lewis",
    "robinson",
    "walker",
    "young",
    "allen",
    "king",
    "wright",
    "scott",
    "torres",
    "nguyen",
    "hill",
    "flores",
    "green",
    "adams",
    "nelson",
    "baker",
    "hall",
    "rivera",
    "campbell",
    "mitchell",
    "carter",
    "roberts",
    "gomez",
    "phillips",
    "evans",
    "turner",
    "diaz",
    "parker",
    "cruz",
    "edwards",
    "collins",
    "reyes",
    "stewart",
    "morris",
    "morales",
    "murphy",
    "cook",
    "rogers",
    "gutierrez",
    "ortiz",
    "morgan",
    "cooper",
    "peterson",
    "bailey",
    "reed",
    "kelly",
    "howard",
    "ramos",
    "kim",
    "cox",
    "ward",
    "richardson",
    "watson",
    "brooks",
    "chavez",
    "wood",
    "james",
    "bennett",
    "gray",
]
CITIES = [
    "London",
    "Manchester",
    "Birmingham",
    "Leeds",
    "Glasgow",
    "Liverpool",
    "Bristol",
    "Sheffield",
    "Edinburgh",
    "Cardiff",
    "Leicester",
    "Coventry",
    "Nottingham",
    "Newcastle",
    "Brighton",
    "Hull",
    "Plymouth",
    "Derby",
]
WORDS = [
    "acme",
    "apex",
    "nova",
    "zenith",
    "orbit",
    "vertex",
    "summit",
    "harbor",
    "cedar",
    "maple",
    "granite",
    "silver",
    "copper",
    "falcon",
    "beacon",
    "quantum",
    "pioneer",
    "atlas",
    "meridian",
    "crest",
    "lumen",
    "vector",
    "horizon",
]
SUFFIXES = ("ltd", "group", "systems", "partners", "labs", "works", "solutions")


def typo(rng: random.Random, text: str) -> str:
    """One keyboard slip: a letter dropped, doubled, swapped with the next or replaced."""
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return text[:i] + text[i + 1 :]
    if kind == 1:
        return text[:i] + text[i] + text[i:]
    if kind == 2:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + rng.choice(string.ascii_lowercase) + text[i + 1 :]


def companies(rng: random.Random, count: int) -> list[dict]:
    out = []
    for number in range(count):
        # names repeat across firms (as they do); each firm has a domain of its own
        name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(SUFFIXES)}"
        domain = f"{name.replace(' ', '')}{number}.example"
        out.append(
            {
                "name": name.title(),
                "domain": domain,
                "city": rng.choice(CITIES),
                "switchboard": f"+44 20 {rng.randrange(1000, 9999)} {rng.randrange(1000, 9999)}",
            }
        )
    return out


def people(rng: random.Random, count: int, firms: list[dict]) -> list[dict]:
    out, addresses = [], set()
    for person in range(count):
        firm = rng.choice(firms)
        # colleagues and relatives: a surname already at the firm, now and then
        first, last = rng.choice(FIRST), rng.choice(LAST)
        for pattern in (f"{first}.{last}", f"{first[0]}{last}", f"{first}{last[0]}", f"{first}"):
            if f"{pattern}@{firm['domain']}" not in addresses:
                break
        else:
            pattern = f"{first}.{last}{person}"
        address = f"{pattern}@{firm['domain']}"
        addresses.add(address)
        direct = f"+44 7{rng.randrange(100, 999)} {rng.randrange(100000, 999999)}"
        out.append(
            {
                "person": f"P{person}",
                "first": first,
                "last": last,
                "email": address,
                "direct": direct,
                "firm": firm,
            }
        )
    return out


def records(rng: random.Random, crowd: list[dict], as_of: str) -> list[dict]:
    rows = []
    for someone in crowd:
        copies = 1 + min(int(rng.expovariate(1.1)), 4)
        for copy in range(copies):
            first, last, email = someone["first"], someone["last"], someone["email"]
            roll = rng.random()
            if roll < 0.08:
                first, last = last, first  # swapped columns
            elif roll < 0.16:
                first = typo(rng, first)
            elif roll < 0.22:
                last = typo(rng, last)
            elif roll < 0.27:
                first = first[0]  # an initial
            elif roll < 0.31:
                first = ""
            roll = rng.random()
            if roll < 0.10:
                local, domain = email.split("@")
                email = f"{typo(rng, local)}@{domain}"
            elif roll < 0.15:
                local, domain = email.split("@")
                email = f"{local}@{typo(rng, domain.split('.')[0])}.example"
            elif roll < 0.30:
                email = ""
            roll = rng.random()
            phone = (
                someone["firm"]["switchboard"]
                if roll < 0.45
                else someone["direct"]
                if roll < 0.70
                else ""
            )
            if not email and not phone and rng.random() < 0.5:
                phone = someone["firm"]["switchboard"]
            rows.append(
                {
                    "source_id": "trade_directory",
                    "source_record": f"{someone['person']}-{copy}",
                    "captured_on": as_of,
                    "first_name": first.title(),
                    "last_name": last.title(),
                    "email": email,
                    "phone": phone,
                    "company_name": someone["firm"]["name"],
                    "company_website": f"https://{someone['firm']['domain']}/",
                    "role": "",
                    "country": "GB",
                    "city": someone["firm"]["city"],
                    "true_person": someone["person"],
                }
            )
    rng.shuffle(rows)
    return rows


def generate(people_count: int, seed: int, as_of: str = "2026-11-24") -> pl.DataFrame:
    """`people_count` people at one firm in twelve on average (many share a switchboard)."""
    rng = random.Random(seed)
    firms = companies(rng, max(1, people_count // 12))
    return pl.DataFrame(records(rng, people(rng, people_count, firms), as_of))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    frame = generate(args.people, args.seed)
    frame.write_csv(args.out)
    print(f"{frame.height} records of {args.people} people -> {args.out}")


if __name__ == "__main__":
    main()
