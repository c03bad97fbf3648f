"""When a reply arrived: our server's Received stamp, else the Date header, in UTC; never
after the run date (a sender's clock in the future does not move a reply ahead)."""

from datetime import date, datetime

from assets.inbound.dates import received_at

DAY = date(2026, 11, 24)


def mail(*headers: str) -> bytes:
    return ("\r\n".join([*headers, "Subject: re", "", "yes please"]) + "\r\n").encode()


def test_the_top_received_stamp_wins_over_the_date_header():
    raw = mail(
        "Received: from mx.example by mail.mwms.example; Tue, 24 Nov 2026 10:15:00 +0100",
        "Received: from laptop by mx.example; Tue, 24 Nov 2026 09:00:00 +0100",
        "Date: Tue, 24 Nov 2026 08:59:00 +0100",
    )
    assert received_at(raw, DAY) == datetime(2026, 11, 24, 9, 15)


def test_the_date_header_when_there_is_no_stamp():
    assert received_at(mail("Date: Tue, 24 Nov 2026 08:30:00 -0500"), DAY) == datetime(
        2026, 11, 24, 13, 30
    )


def test_a_future_or_missing_or_broken_date_gives_none():
    assert received_at(mail("Date: Wed, 25 Nov 2026 08:30:00 +0000"), DAY) is None
    assert received_at(mail("From: a@b.example"), DAY) is None
    assert received_at(mail("Date: sometime on Tuesday"), DAY) is None
