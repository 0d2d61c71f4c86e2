"""The alerts' digests (issue 19, item 2 and 4), sent through a real SMTP server on loopback.

- what a digest holds for a reader with each kind of subscription, and in which order; nothing
  for a reader with nothing new; each item once;
- periods: "as it happens", weekly from Monday 00:00, monthly from the 1st;
- nothing twice: a second run, a run after a crash between the decision and the sending, a
  retry after the server refused for now;
- the mail server's answers: a hard bounce stops mail to the address (and /me/alerts/ says so),
  a 4xx is tried again later, a server that is gone fails the run and loses nothing;
- a fixed number of queries per batch of readers.
"""

import datetime
import re
from urllib.parse import urlparse

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalogue import alerts
from catalogue.alerts import digests, sending
from catalogue.models import MailBounce, Mailing, NepAnnouncement, NepIssue, Subscription
from catalogue.readers.alerts import subscribe
from catalogue.search import indexing
from catalogue.tasks.jobs import clean_everything
from tests.local_peers import free_port

pytestmark = pytest.mark.django_db

Status = Mailing.Status
HOUR = datetime.timedelta(hours=1)


def soon() -> datetime.datetime:
    """A moment after everything the test made: the "as it happens" period ends just before it."""
    return timezone.now() + datetime.timedelta(minutes=1)


def next_monday(after: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(after)
    days = 7 - local.weekday()
    return (local + datetime.timedelta(days=days)).replace(hour=0, minute=5, second=0, microsecond=0)


def aged(subscription: Subscription, by=HOUR) -> Subscription:
    """Made an hour ago, so that what the test adds next is new for it."""
    Subscription.objects.filter(pk=subscription.pk).update(created_at=timezone.now() - by)
    subscription.refresh_from_db()
    return subscription


def issue_of(report, items, date=datetime.date(2026, 12, 7), at=None) -> NepIssue:
    """A NEP issue that came in now (or `at`), announcing `items` in this order."""
    issue = NepIssue.objects.create(report=report, date=date)
    if at is not None:
        NepIssue.objects.filter(pk=issue.pk).update(created_at=at)
    NepAnnouncement.objects.bulk_create(
        NepAnnouncement(issue=issue, item=item, position=n) for n, item in enumerate(items)
    )
    return issue


def plain(message) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def html_of(message) -> str:
    return message.get_body(("html",)).get_content().replace("\r\n", "\n")


@pytest.fixture
def world(archive_factory, series_factory, person_factory, nep_report_factory, jel_code_factory):
    archive = archive_factory(code="ipt", name="Joint Research Centre")
    return {
        "nep": nep_report_factory(code="nep-ino", name="Innovation"),
        "other_nep": nep_report_factory(code="nep-ure", name="Urban and Real Estate Economics"),
        "person": person_factory(short_id="pkr1", name_full="Kirsten Rakh", name_last="Rakh"),
        "series": series_factory(archive=archive, code="iptwpa", name="JRC Working Papers"),
        "other_series": series_factory(archive=archive, code="iptxyz", name="Other Papers"),
        "jel": jel_code_factory(code="O3", name="Innovation"),
        "jel31": jel_code_factory(code="O31"),
    }


def test_an_nep_issue_reaches_its_subscriber_as_it_happens_in_the_editors_order(sink, reader, world, item_factory):
    aged(subscribe(reader, "nep", "nep-ino")[0])
    items = [item_factory(title=f"Paper {n}") for n in range(3)]
    issue_of(world["nep"], [items[2], items[0], items[1]])
    issue_of(world["other_nep"], [item_factory(title="Not subscribed")])

    summary = alerts.run(soon())

    assert "1 sent" in summary
    [message] = sink.messages
    assert message["To"] == reader.email
    assert message["From"] == "alerts@econcat.test"
    assert message["Subject"] == "[EconCat] NEP-INO: Innovation, issue of 2026-12-07: 3 new items"
    text = plain(message)
    assert re.findall(r"^\d\. (.+)$", text, re.M) == ["Paper 2", "Paper 0", "Paper 1"]
    assert "http://econcat.test/n/nep-ino/2026-12-07.html" in text
    assert f"http://econcat.test{items[2].get_absolute_url()}" in text
    assert "Not subscribed" not in text
    page = html_of(message)
    assert f'<a href="http://econcat.test{items[0].get_absolute_url()}">Paper 0</a>' in page
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(r"<http://econcat\.test/alerts/unsubscribe/[^/>]+/>", message["List-Unsubscribe"].strip())
    assert message["Auto-Submitted"] == "auto-generated"
    assert Mailing.objects.get().status == Status.SENT


def test_an_issue_that_came_in_within_the_settle_waits_for_the_next_run(sink, reader, world, item_factory):
    aged(subscribe(reader, "nep", "nep-ino")[0])
    issue = issue_of(world["nep"], [item_factory()])
    issue.refresh_from_db()
    alerts.run(issue.created_at + datetime.timedelta(seconds=5))  # it may still be committing elsewhere
    assert sink.messages == []
    alerts.run(issue.created_at + datetime.timedelta(seconds=20))
    assert len(sink.messages) == 1


def test_a_weekly_digest_gathers_every_kind_each_item_once(sink, reader, world, item_factory, authorship_factory):
    for kind, code in [
        ("nep", "nep-ino"),
        ("author", "pkr1"),
        ("series", "ipt:iptwpa"),
        ("jel", "O3"),
        ("search", "q=carbon+tax"),
    ]:
        aged(subscribe(reader, kind, code, "weekly")[0])
    announced = item_factory(title="Announced, by Rakh too", series=world["series"])
    authorship_factory(item=announced, person=world["person"], name="Kirsten Rakh")
    by_author = item_factory(title="A paper by Rakh", series=world["other_series"])
    authorship_factory(item=by_author, person=world["person"], name="Kirsten Rakh")
    in_series = item_factory(title="In the series", series=world["series"])
    tagged = item_factory(title="Tagged O31", series=world["other_series"])
    tagged.jel_codes.add(world["jel31"])
    found = item_factory(title="A carbon tax for Europe", series=world["other_series"])
    item_factory(title="Nothing to do with anything", series=world["other_series"])
    issue_of(world["nep"], [announced])
    indexing.rebuild()

    summary = alerts.run(next_monday(timezone.now()))

    assert "weekly up to" in summary
    [message] = sink.messages
    text = plain(message)
    sections = re.findall(r"^== (.+) ==$", text, re.M)
    assert sections == [
        "NEP-INO: Innovation, issue of 2026-12-07",
        "Kirsten Rakh",
        "JRC Working Papers (ipt:iptwpa)",
        "O3 Innovation; Research and Development; Technological Change; Intellectual Property Rights",
        "Search for: carbon tax",
    ]
    titles = re.findall(r"^\d\. (.+)$", text, re.M)
    assert titles == [announced.title, by_author.title, in_series.title, tagged.title, found.title]
    assert message["Subject"] == "[EconCat] Your weekly alerts: 5 new items in 5 lists"
    assert "http://econcat.test/search/?q=carbon+tax&sort=newest" in text
    assert "Nothing to do with anything" not in text


def test_a_weekly_digest_waits_for_its_monday_and_a_monthly_one_for_the_first(sink, reader, world, item_factory):
    weekly = aged(subscribe(reader, "series", "ipt:iptwpa", "weekly")[0])
    item_factory(series=world["series"], title="New this week")
    monday = next_monday(timezone.now())

    alerts.run(monday - datetime.timedelta(minutes=10))  # Sunday 23:55: the week has not ended
    assert sink.messages == []
    alerts.run(monday)
    assert len(sink.messages) == 1
    weekly.refresh_from_db()
    assert weekly.covered_until == monday.replace(minute=0)

    weekly.frequency = "monthly"
    weekly.save()
    between = timezone.now()
    item_factory(series=world["series"], title="Later")
    Subscription.objects.filter(pk=weekly.pk).update(covered_until=between)
    local = timezone.localtime(timezone.now())
    first = (local.replace(day=1) + datetime.timedelta(days=32)).replace(day=1, hour=0, minute=1)
    alerts.run(first - datetime.timedelta(days=1))
    assert len(sink.messages) == 1
    alerts.run(first)
    assert len(sink.messages) == 2
    assert "Later" in plain(sink.messages[1])
    assert "New this week" not in plain(sink.messages[1])
    assert Mailing.objects.filter(frequency="monthly").count() == 1


def test_nothing_for_a_reader_with_nothing_new_nor_for_what_came_before_the_subscription(
    sink, reader, stranger, world, item_factory
):
    item_factory(series=world["series"], title="Before the subscription")
    issue_of(world["nep"], [item_factory()])
    later = timezone.now() + datetime.timedelta(seconds=1)
    for user in (reader, stranger):
        subscribe(user, "nep", "nep-ino")
        subscribe(user, "series", "ipt:iptwpa", "weekly")
    Subscription.objects.update(created_at=later)

    summary = alerts.run(next_monday(timezone.now()))

    assert sink.messages == []
    assert Mailing.objects.count() == 0
    assert "0 sent" in summary


def test_a_second_run_and_a_rerun_after_a_crash_send_nothing_twice(sink, reader, world, item_factory):
    aged(subscribe(reader, "nep", "nep-ino")[0])
    issue_of(world["nep"], [item_factory(title="Once")])
    now = soon()

    digests.decide("immediate", now)  # decided and committed, then the worker died before sending
    digests.decide("immediate", now)  # the retried run decides nothing more
    assert Mailing.objects.count() == 1
    alerts.run(now)
    alerts.run(now + datetime.timedelta(minutes=5))
    assert len(sink.messages) == 1

    # a run that died while handing a batch over: that batch is given up, never sent twice
    later = soon() + datetime.timedelta(minutes=10)
    issue_of(world["nep"], [item_factory(title="Twice?")], date=datetime.date(2026, 12, 8), at=later - HOUR / 6)
    digests.decide("immediate", later)
    Mailing.objects.filter(status=Status.PENDING).update(status=Status.SENDING)
    summary = alerts.run(later)
    assert len(sink.messages) == 1
    assert "1 given up" in summary
    lost = Mailing.objects.get(status=Status.GAVE_UP)
    assert "never to send twice" in lost.error


def test_a_hard_bounce_stops_mail_to_the_address_and_the_reader_is_told(
    sink, reader, stranger, world, item_factory, client
):
    for user in (reader, stranger):
        aged(subscribe(user, "nep", "nep-ino")[0])
    sink.refuse[reader.email] = "550 5.1.1 <reader@example.org>: no such user"
    issue_of(world["nep"], [item_factory()])

    summary = alerts.run(soon())

    assert "1 sent" in summary
    assert "1 bounced" in summary
    assert [m["To"] for m in sink.messages] == [stranger.email]
    bounce = MailBounce.objects.get()
    assert (bounce.email, bounce.code) == (reader.email, 550)
    assert Mailing.objects.get(user=reader).status == Status.BOUNCED

    # the next issue is not even decided for the bounced address
    issue_of(world["nep"], [item_factory()], date=datetime.date(2026, 12, 8), at=soon() + HOUR / 2)
    summary = alerts.run(soon() + HOUR)
    assert "1 not mailed: address bounced" in summary
    assert len(sink.messages) == 2

    client.force_login(reader)
    page = client.get("/me/alerts/").content.decode()
    assert "We have stopped mailing" in page
    assert "no such user" in page
    response = client.post("/me/alerts/address-works/")
    assert response.status_code == 302
    assert not MailBounce.objects.exists()
    client.force_login(stranger)
    assert "We have stopped mailing" not in client.get("/me/alerts/").content.decode()


def test_a_temporary_refusal_is_tried_again_later_and_then_sent(sink, reader, world, item_factory):
    aged(subscribe(reader, "nep", "nep-ino")[0])
    sink.refuse[reader.email] = "451 4.7.1 greylisted, try again later"
    issue_of(world["nep"], [item_factory()])
    now = soon()

    alerts.run(now)
    mailing = Mailing.objects.get()
    assert (mailing.status, mailing.attempts) == (Status.FAILED, 1)
    assert "greylisted" in mailing.error
    alerts.run(now + datetime.timedelta(minutes=1))  # before its backoff: not tried
    assert Mailing.objects.get().attempts == 1

    del sink.refuse[reader.email]
    alerts.run(mailing.next_attempt_at + datetime.timedelta(seconds=1))
    mailing.refresh_from_db()
    assert (mailing.status, mailing.attempts) == (Status.SENT, 2)
    assert len(sink.messages) == 1


def test_a_mail_server_that_is_gone_fails_the_run_and_loses_nothing(sink, settings, reader, world, item_factory):
    aged(subscribe(reader, "nep", "nep-ino")[0])
    issue_of(world["nep"], [item_factory()])
    settings.EMAIL_PORT = free_port()  # nobody listens there
    now = soon()

    with pytest.raises(sending.MailServerDown):
        alerts.run(now)
    mailing = Mailing.objects.get()
    assert mailing.status == Status.FAILED
    assert "ConnectionRefusedError" in mailing.error

    settings.EMAIL_PORT = sink.port
    alerts.run(mailing.next_attempt_at + datetime.timedelta(seconds=1))
    assert Mailing.objects.get().status == Status.SENT
    assert len(sink.messages) == 1


def test_decide_and_send_make_the_same_number_of_queries_for_3_and_12_readers(sink, user_factory, world, item_factory):
    issue_of(world["nep"], [item_factory() for _ in range(3)])
    counts = []
    for readers in (3, 12):
        Subscription.objects.all().delete()
        Mailing.objects.all().delete()
        for _ in range(readers):
            aged(subscribe(user_factory(), "nep", "nep-ino")[0])
            aged(subscribe(user_factory(), "series", "ipt:iptwpa")[0])
        NepIssue.objects.update(created_at=timezone.now())
        now = soon()
        with CaptureQueriesContext(connection) as decided:
            digests.decide("immediate", now, batch_size=100)
        with CaptureQueriesContext(connection) as sent:
            outcome = sending.send_due(now, batch_size=100)
        assert outcome.sent == readers
        counts.append((len(decided), len(sent)))
    assert counts[0] == counts[1]
    assert len(sink.messages) == 15
    assert len(sink.sessions) == 2  # one SMTP connection a batch, not one a message


def test_the_links_in_a_digest_answer(sink, reader, world, item_factory, client):
    aged(subscribe(reader, "nep", "nep-ino")[0])
    item = item_factory(title="Linked")
    issue_of(world["nep"], [item])
    alerts.run(soon())
    text = plain(sink.messages[0])
    for url in re.findall(r"http://econcat\.test(/[^\s]*)", text):
        path = urlparse(url).path
        response = client.get(path)
        assert response.status_code in (200, 302), path


def test_clean_expired_forgets_old_messages_sent_but_not_those_still_to_send(settings, reader, stranger):
    old = timezone.now() - datetime.timedelta(days=settings.MAILINGS_KEEP_DAYS + 1)
    for n, status in enumerate([Status.SENT, Status.BOUNCED, Status.GAVE_UP, Status.FAILED, Status.PENDING]):
        Mailing.objects.create(
            user=reader, kind="digest", frequency="weekly", period_end=old + datetime.timedelta(days=n), content={}
        )
        Mailing.objects.filter(period_end=old + datetime.timedelta(days=n)).update(status=status, created_at=old)
    Mailing.objects.create(user=stranger, kind="digest", frequency="weekly", period_end=old, content={}, status="sent")

    assert "3 messages sent more than 180 days ago forgotten" in clean_everything()
    assert sorted(Mailing.objects.values_list("status", flat=True)) == ["failed", "pending", "sent"]


def test_staff_see_the_mail_sent_a_publisher_does_not(sink, reader, world, item_factory, staff_client, publisher):
    aged(subscribe(reader, "nep", "nep-ino")[0])
    issue_of(world["nep"], [item_factory()])
    alerts.run(soon())
    listing = staff_client.get("/admin/catalogue/mailing/")
    assert listing.status_code == 200
    assert "reader" in listing.content.decode()
    mailing = Mailing.objects.get()
    assert staff_client.get(f"/admin/catalogue/mailing/{mailing.pk}/change/").status_code == 200
    assert staff_client.post(f"/admin/catalogue/mailing/{mailing.pk}/delete/").status_code == 403
    other = Client()
    other.force_login(publisher)
    assert other.get("/admin/catalogue/mailing/").status_code == 403


def test_the_as_it_happens_run_reads_only_the_new_issues(sink, reader, world, item_factory):
    """It runs every 30 seconds: the period's items, authors and JEL codes are not read."""
    aged(subscribe(reader, "nep", "nep-ino")[0])
    issue_of(world["nep"], [item_factory() for _ in range(3)])
    with CaptureQueriesContext(connection) as run:
        decided = digests.decide("immediate", soon())
    assert decided.mailings == 1
    sql = " ".join(query["sql"] for query in run.captured_queries)
    assert "catalogue_authorship" not in sql
    assert "catalogue_item_jel_codes" not in sql
