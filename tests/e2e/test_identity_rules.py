"""Identity on a lead list as a CRM export brings it: a switchboard number shared by
colleagues, names swapped and misspelt, an address with a typo in its domain, a record
with only a name and a city, two people behind one address, a crowd of namesakes at
companies whose domains begin alike and, among them, one person's address with a typo in
its domain (in a block too big to compare whole, found by the domain's neighbours). One
real `outreach run`;
every assertion is about which records are one prospect and what that prospect is called.
Also: a number phonenumbers finds unallocated, a surname alone on a number, a missing
first name read from the address, a namesake at another firm in the same city.
"""

import csv

import pytest

from core.workspace import Workspace
from dagster_project.cli import main
from tests.warehouse import warehouse_sql

SWITCHBOARD = "+44 20 7946 0000"
# a London number phonenumbers finds unallocated (020 5...): still one line in two records
UNALLOCATED = "+44 20 5016 0000"
FIRM = ("Analytical Engines", "https://engines.example/")
COLUMNS = ["source_id", "source_record", "captured_on", "first_name", "last_name", "email",
           "phone", "company_name", "company_website", "city", "country"]  # fmt: skip
ROWS = [
    # three colleagues at one firm, every record with its switchboard
    ("r1", "Ada", "Lovelace", "ada.lovelace@engines.example", SWITCHBOARD, "London"),
    ("r2", "Charles", "Babbage", "charles.babbage@engines.example", SWITCHBOARD, "London"),
    ("r3", "Mary", "Somerville", "", SWITCHBOARD, "London"),
    # Ada again: names swapped, and a typo in the domain of her address
    ("r4", "Lovelace", "Ada", "ada.lovelace@enignes.example", "", "London"),
    # Mary again, her surname misspelt, the same switchboard: her name agrees, so it links
    ("r5", "Mary", "Somervile", "", SWITCHBOARD, "London"),
    # Charles with only a name and a city (no address, number or company): kept and found
    ("r6", "Charles", "Babbage", "", "", "London"),
    # one address, two people whose names cannot be one person's
    ("r7", "John", "Smith", "j.smith@engines.example", "", "Leeds"),
    ("r8", "Jane", "Smith", "j.smith@engines.example", "", "Leeds"),
    # a record without a name on a number two named people share: whose would it be?
    ("r9", "", "", "", SWITCHBOARD, "London"),
    # Grace under two addresses a typo apart, then with no address, on her direct line:
    # "G. Hopper at engines" is hers (two addresses, but one person's)
    ("r10", "Grace", "Hopper", "grace.hopper@engines.example", "", "London"),
    ("r11", "Grace", "Hopper", "grace.hoper@engines.example", "", "London"),
    ("r12", "Grace", "Hopper", "", "+44 7700 900123", "London"),
    # on a number phonenumbers calls invalid: Alan twice (a typo in his surname), then his
    # surname alone, the only Turing on it; Joan named only by her address's "first.last"
    ("r13", "Alan", "Turing", "", UNALLOCATED, "London"),
    ("r14", "Alan", "Turring", "", UNALLOCATED, "London"),
    ("r15", "Turing", "", "", UNALLOCATED, "London"),
    ("r16", "", "Clarke", "joan.clarke@engines.example", UNALLOCATED, "London"),
    ("r17", "Joan", "Clarke", "", UNALLOCATED, "London"),
    # a "Wright" whose address says Raymond is not the Thomas Wright on the same number
    ("r18", "Thomas", "Wright", "", UNALLOCATED, "London"),
    ("r19", "", "Wright", "raymond.wright@engines.example", UNALLOCATED, "London"),
    # Donna spelt twice at one firm, on the switchboard and then on her mobile: one person;
    # two Kellys a letter apart whose addresses are not a typo apart: two people
    ("r20", "Donna", "Reeed", "", SWITCHBOARD, "London"),
    ("r21", "Donna", "Reed", "", "+44 7700 900456", "London"),
    ("r22", "Karen", "Kelly", "karen.kelly@engines.example", "", "London"),
    ("r23", "Karin", "Kelly", "accounts.kk@engines.example", "", "London"),
    # no company given (a name at a company would link them otherwise): an initial, and an
    # address a typo apart (in its domain): "A Ramirez" is Amy; but "J Green" at j.green@
    # is not James Green at james.green@ (J may be Jane)
    ("r24", "A", "Ramirez", "amy.ramirez@enignes.example", "", "Leeds"),
    ("r25", "Amy", "Ramirez", "amy.ramirez@engines.example", "", "Leeds"),
    ("r26", "J", "Green", "j.green@engines.example", "", "Leeds"),
    ("r27", "James", "Green", "james.green@engines.example", "", "Leeds"),
    # an Edith Clarke at another firm in the same city, with neither address nor number:
    # a namesake (two firms named, not the same one), not this Edith
    ("r28", "Edith", "Clarke", "edith.clarke@engines.example", "", "Bristol"),
    ("r29", "Edith", "Clarke", "", "", "Bristol"),
]
NO_FIRM = {"r6", "r24", "r25", "r26", "r27"}
OTHER_FIRM = {"r29": ("Difference Works", "https://difference.example/")}
# a dozen Sam Taylors at a dozen firms whose domains all begin with "a" and end with "s"
# (more than identity_max_block, 10, share each block by a letter of the domain), and the
# one at Acme Works twice: a typo in the domain only, then in both halves
CROWD = ["atlas", "anchor", "aurora", "avalon", "alpine", "aviary", "abacus", "asterisk",
         "artichoke", "almanac", "albatross", "aquarium"]  # fmt: skip
CROWD_ROWS = [
    *((f"c{n}", "Sam", "Taylor", f"sam.taylor@{word}works.example", f"{word}works")
      for n, word in enumerate(CROWD, start=1)),
    ("c20", "Sam", "Taylor", "sam.taylor@acmeworks.example", "acmeworks"),
    ("c21", "Sam", "Taylor", "sam.taylor@acmewroks.example", "acmeworks"),
    ("c22", "Sam", "Taylor", "sam.tailor@acmewroks.example", "acmeworks"),
]  # fmt: skip


@pytest.fixture(scope="module")
def resolved(tmp_path_factory):
    home = tmp_path_factory.mktemp("identity") / "ws"
    assert main(["init", str(home)]) == 0
    workspace = Workspace(home)
    with open(workspace.landing("leads") / "crm.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        for record, first, last, email, phone, city in ROWS:
            firm = ("", "") if record in NO_FIRM else OTHER_FIRM.get(record, FIRM)
            writer.writerow(["crm_export", record, "2026-11-20", first, last, email, phone,
                             *firm, city, "GB"])  # fmt: skip
        for record, first, last, email, firm in CROWD_ROWS:
            website = f"https://{firm}.example/"
            writer.writerow(["crm_export", record, "2026-11-20", first, last, email, "",
                             firm.title(), website, "Bristol", "GB"])  # fmt: skip
    assert main(["run", "--home", str(home), "--as-of", "2026-11-24"]) == 0
    frame = warehouse_sql(
        home,
        "select r.source_record, r.prospect_id, r.match_reason, p.identity_status"
        " from intermediate.int_lead_records_resolved as r"
        " inner join intermediate.int_lead_records_resolved as p"
        "   on r.prospect_id = p.prospect_id and p.is_primary_record",
    )
    quarantined = warehouse_sql(home, "select count(*) as n from raw.quarantine")["n"][0]
    return {row["source_record"]: row for row in frame.to_dicts()}, quarantined


def test_every_record_is_kept(resolved):
    records, quarantined = resolved
    assert quarantined == 0 and set(records) == {row[0] for row in ROWS + CROWD_ROWS}


def test_a_shared_switchboard_does_not_make_colleagues_one_person(resolved):
    records, _ = resolved
    people = {records[r]["prospect_id"] for r in ("r1", "r2", "r3")}
    assert len(people) == 3  # three prospects, three different ids on one number


def test_swapped_names_and_a_domain_typo_are_the_same_person(resolved):
    records, _ = resolved
    assert records["r4"]["prospect_id"] == records["r1"]["prospect_id"]
    assert records["r4"]["match_reason"] == "same name, similar email"


def test_a_misspelt_name_on_the_same_number_is_the_same_person(resolved):
    records, _ = resolved
    assert records["r5"]["prospect_id"] == records["r3"]["prospect_id"]


def test_a_name_and_a_city_find_a_record_without_address_or_number(resolved):
    records, _ = resolved
    assert records["r6"]["prospect_id"] == records["r2"]["prospect_id"]
    assert records["r6"]["match_reason"] == "same name in city"


def test_a_name_in_a_city_at_another_firm_is_a_namesake(resolved):
    """Found at 100k generated leads: the same name in one city at two firms linked two
    people (precision 0.983 -> 0.997 without it)."""
    records, _ = resolved
    assert records["r29"]["prospect_id"] != records["r28"]["prospect_id"]


def test_two_names_on_one_address_are_conflicting(resolved):
    records, _ = resolved
    assert records["r7"]["prospect_id"] == records["r8"]["prospect_id"]
    assert records["r7"]["identity_status"] == "Conflicting"
    # swapped or misspelt names of one person are not a conflict
    assert records["r1"]["identity_status"] != "Conflicting"


def test_a_nameless_record_on_a_shared_number_joins_nobody(resolved):
    records, _ = resolved
    others = {records[r]["prospect_id"] for r in ("r1", "r2", "r3")}
    assert records["r9"]["prospect_id"] not in others


def test_a_domain_typo_among_many_namesakes_is_found_by_the_domains_neighbours(resolved):
    records, _ = resolved
    acme = records["c20"]["prospect_id"]
    assert records["c21"]["prospect_id"] == acme  # acmewroks: one edit in the domain
    assert records["c22"]["prospect_id"] == acme  # and tailor: one in the local part too
    assert {records[r]["match_reason"] for r in ("c21", "c22")} == {"same name, similar email"}
    # the namesakes at the other firms stay twelve people of their own
    crowd = {records[f"c{n}"]["prospect_id"] for n in range(1, len(CROWD) + 1)}
    assert len(crowd) == len(CROWD) and acme not in crowd


def test_a_name_at_a_company_links_to_one_person_with_two_addresses_a_typo_apart(resolved):
    records, _ = resolved
    grace = records["r10"]["prospect_id"]
    assert records["r11"]["prospect_id"] == grace
    assert records["r12"]["prospect_id"] == grace
    assert records["r12"]["match_reason"] == "same name at company domain"


def test_an_unallocated_number_still_links_one_persons_records(resolved):
    records, _ = resolved
    alan = records["r13"]["prospect_id"]
    assert records["r14"]["prospect_id"] == alan  # same number, names a typo apart
    # a surname alone on the number: the only whole name there that has it
    assert records["r15"]["prospect_id"] == alan
    assert records["r15"]["match_reason"] == "same phone at company"


def test_a_missing_first_name_is_read_from_a_first_dot_last_address(resolved):
    records, _ = resolved
    assert records["r16"]["prospect_id"] == records["r17"]["prospect_id"]  # Joan Clarke
    # "Wright" with raymond.wright@ is not Thomas Wright, nor Alan, on the same number
    assert records["r19"]["prospect_id"] != records["r18"]["prospect_id"]
    assert records["r19"]["prospect_id"] != records["r13"]["prospect_id"]


def test_a_name_spelt_twice_at_one_company_is_one_person_unless_addresses_differ(resolved):
    records, _ = resolved
    assert records["r20"]["prospect_id"] == records["r21"]["prospect_id"]
    assert records["r21"]["match_reason"] == "similar name at company"
    assert records["r22"]["prospect_id"] != records["r23"]["prospect_id"]


def test_an_initial_with_an_address_a_typo_apart_is_the_same_person(resolved):
    records, _ = resolved
    assert records["r24"]["prospect_id"] == records["r25"]["prospect_id"]
    assert {records[r]["match_reason"] for r in ("r24", "r25")} == {"same name, similar email"}
    # three letters more is another way of writing an address, not a typo
    assert records["r26"]["prospect_id"] != records["r27"]["prospect_id"]
