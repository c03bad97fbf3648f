"""Broken mail never crashes classification or storage; it is stored and marked."""

import pytest

from assets.inbound.classify import classify
from assets.inbound.store import ingest_mailbox
from tests.adversarial.corpus import mail_corpus

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(("name", "raw"), mail_corpus(), ids=[n for n, _ in mail_corpus()])
def test_broken_mail_is_classified_never_raised(name, raw):
    result = classify(raw)
    assert result.reply_class and result.next_action and result.content_hash
    if name in ("unknown_charset.eml", "broken_mime.eml"):
        # the words still count: an opt-out in a broken message is still an opt-out
        assert result.reply_class == "Unsubscribe", result


def test_the_whole_broken_mailbox_is_stored_once(workspace, config, as_of):
    import duckdb

    box = workspace.mailbox
    box.mkdir(parents=True, exist_ok=True)
    corpus = mail_corpus()
    for name, raw in corpus:
        (box / name).write_bytes(raw)
    with duckdb.connect(str(workspace.warehouse)) as con:
        from assets.ingestion.ingest import ensure_tables

        ensure_tables(con)
        stored = ingest_mailbox(con, workspace, config, as_of)
        distinct = len({raw for _, raw in corpus})
        assert stored.height == distinct  # the two empty-ish duplicates are one message
        assert ingest_mailbox(con, workspace, config, as_of).height == 0
        [(kept,)] = con.execute(
            "select count(*) from inbound.messages where raw is not null"
        ).fetchall()
        assert kept == distinct
