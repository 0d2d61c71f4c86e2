"""NEP: the reports, a report's issues, an issue's items in the editor's order."""

import datetime
import html
import re

import pytest

pytestmark = pytest.mark.django_db


def page_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("n", [1, 60])
def test_issue_lists_items_in_the_editors_order(
    client, nep_issue_factory, nep_announcement_factory, item_factory, django_assert_max_num_queries, n
):
    issue = nep_issue_factory(report__code="nep-ino", report__name="Innovation", date=datetime.date(2017, 5, 14))
    for i in range(n):
        nep_announcement_factory(issue=issue, item=item_factory(title=f"Announced {i:03d}"), position=n - i)
    # issue with report + count + a page of ids + items + authorships = 5
    with django_assert_max_num_queries(5):
        page = page_of(client.get("/n/nep-ino/2017-05-14.html"))
    assert "<h1>NEP-INO 2017-05-14: Innovation</h1>" in page
    assert f"{n} item" in page
    shown = [line[:3] for line in page.split("Announced ")[1:]]
    assert shown == [f"{i:03d}" for i in range(n - 1, max(n - 51, -1), -1)]  # positions n, n-1, ...
    nav = re.search(r'<nav class="breadcrumbs"[^>]*>(.*?)</nav>', page, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", nav) == "Home › NEP reports › NEP-INO › NEP-INO 2017-05-14: Innovation"


def test_issue_addresses(client, nep_issue_factory):
    nep_issue_factory(report__code="nep-ino", date=datetime.date(2017, 5, 14))
    assert client.get("/n/NEP-INO/2017-05-14.html").status_code == 301
    response = client.get("/n/nep-ino/14-05-2017.html")
    assert response.status_code == 404
    assert "That is not a date" in html.unescape(response.content.decode())
    response = client.get("/n/nep-ino/2017-05-15.html")
    assert response.status_code == 404
    assert "No NEP issue is at this address." in response.content.decode()


@pytest.mark.parametrize("n", [1, 60])
def test_report_lists_its_issues_newest_first(
    client, nep_report_factory, nep_issue_factory, nep_announcement_factory, django_assert_max_num_queries, n
):
    report = nep_report_factory(code="nep-ino", name="Innovation")
    for i in range(n):
        issue = nep_issue_factory(report=report, date=datetime.date(2010, 1, 1) + datetime.timedelta(days=7 * i))
        nep_announcement_factory.create_batch(2, issue=issue)
    # report + count + a page of issues with their item counts = 3
    with django_assert_max_num_queries(3):
        page = page_of(client.get("/n/nep-ino.html"))
    assert "<h1>NEP-INO: Innovation</h1>" in page
    assert f"{n} issue" in page
    last = datetime.date(2010, 1, 1) + datetime.timedelta(days=7 * (n - 1))
    assert f"{last:%Y-%m-%d}</a> (2 items)" in page
    assert page.count("(2 items)") == min(n, 50)
    assert '<link rel="canonical" href="http://testserver/n/nep-ino.html">' in page
    assert client.get("/n/nothing.html").status_code == 404


def test_reports_list(client, nep_issue_factory, nep_report_factory, django_assert_max_num_queries):
    nep_issue_factory.create_batch(3, report__code="nep-ino", report__name="Innovation")
    nep_report_factory(code="nep-lab", name="Labour Economics")
    # count + a page of reports with their issue counts = 2
    with django_assert_max_num_queries(2):
        page = page_of(client.get("/n/"))
    assert "<h1>NEP reports</h1>" in page
    assert "2 reports" in page
    assert "NEP-INO</a>: Innovation (3 issues)" in page
    assert "NEP-LAB</a>: Labour Economics (0 issues)" in page
