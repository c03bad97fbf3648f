"""Scrubbing one person out of workspace files, by what each file is: their own file is
removed, their CSV and XLSX rows lose personal and free-text columns, the HTML blocks the
exports mark as theirs are replaced, any text still quoting them is rewritten, and other
people's rows are left exactly as they were."""

from openpyxl import Workbook, load_workbook

from assets.privacy.file_scrub import scrub_files
from assets.privacy.person import Person

PERSON = Person(
    emails={"ann.lee@shop.example"},
    phones={"+447700900123", "07700 900123"},
    names={"Ann Lee"},
    prospect_ids={"pr_ann"},
    review_tokens={"cm_ann.abc"},
)


def test_each_kind_of_file_loses_the_person_and_keeps_everyone_else(tmp_path):
    (tmp_path / "pr_ann.html").write_text("<p>Ann Lee brief</p>")
    (tmp_path / "queue.csv").write_text(
        "review_token,prospect_name,body,campaign_id\n"
        "cm_ann.abc,Ann Lee,Hi Ann,c1\n"
        "cm_bob.def,Bob Ray,Hi Bob,c1\n"
    )
    (tmp_path / "queue.html").write_text(
        "<table><!-- person cm_ann.abc --><tr><td>Hi Ann, from the shop</td></tr><!-- /person -->"
        "<!-- person cm_bob.def --><tr><td>Hi Bob</td></tr><!-- /person --></table>"
    )
    (tmp_path / "log.txt").write_text("called 07700 900123 and wrote to ANN.LEE@shop.example\n")
    (tmp_path / "reply.eml").write_text("From: Ann Lee <ann.lee@shop.example>\n\nhello\n")
    (tmp_path / "other.eml").write_text("From: bob@ray.example\n\nhello\n")
    book = Workbook()
    sheet = book.active
    sheet.append(["review_token", "prospect_name", "recipient", "step"])
    sheet.append(["cm_ann.abc", "Ann Lee", "ann.lee@shop.example", 1])
    sheet.append(["cm_bob.def", "Bob Ray", "bob@ray.example", 1])
    book.save(tmp_path / "queue.xlsx")

    done = scrub_files(tmp_path, PERSON)

    assert sorted(p.name for p in done.removed) == ["pr_ann.html", "reply.eml"]
    assert (tmp_path / "queue.csv").read_text().splitlines() == [
        "review_token,prospect_name,body,campaign_id",
        "cm_ann.abc,[erased],[erased],c1",
        "cm_bob.def,Bob Ray,Hi Bob,c1",
    ]
    page = (tmp_path / "queue.html").read_text()
    assert "Hi Ann" not in page and "<td>[erased]</td>" in page and "Hi Bob" in page
    assert (tmp_path / "log.txt").read_text() == "called [erased] and wrote to [erased]\n"
    assert (tmp_path / "other.eml").exists()
    rows = list(load_workbook(tmp_path / "queue.xlsx").active.iter_rows(values_only=True))
    assert rows[1] == ("cm_ann.abc", "[erased]", "[erased]", 1)
    assert rows[2] == ("cm_bob.def", "Bob Ray", "bob@ray.example", 1)
    assert sorted(p.name for p in done.rewritten) == [
        "log.txt",
        "queue.csv",
        "queue.html",
        "queue.xlsx",
    ]
