"""Missing citations: the two report forms, approval and rejection, and the moderation queue.

Users (`reader`, `stranger` and `staff` are the personas, tests/personas.py):
- anonymous: sees "Link it" and "Report a missing citation" as log-in links; may not report.
- `reader`: logged in, not staff; reports citations, never sees the admin.
- `stranger`: another reader, whose reports of the same pair are their own.
- `moderator`: staff holding catalogue.change_citationreport; approves and rejects.
- `staff` / `staff_client`: superuser; moderates everything.
"""

import html
import json
import re

import pytest
from django.test import Client

from catalogue.citations import reports
from catalogue.citations.counts import refresh_citation_counts
from catalogue.citations.matching import match_references
from catalogue.citations.reports import approve_report, can_moderate, moderate, reject_report
from catalogue.ingest.references import load_references
from catalogue.models import CitationReport, HandleAlias, Item, Reference

pytestmark = pytest.mark.django_db

LINK, CITES = CitationReport.Kind.LINK, CitationReport.Kind.CITES
THANKS = "Thank you: a moderator will review this link"
QUEUE = "/admin/catalogue/citationreport/"


@pytest.fixture
def moderator(user_factory):
    return user_factory(username="mod", is_staff=True, permissions=["view_citationreport", "change_citationreport"])


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader)
    return client


@pytest.fixture
def paper(item_factory, series_factory, authorship_factory):
    """The citing item: an IPT working paper by Ann Smith."""
    series = series_factory(code="iptwpa", handle="RePEc:ipt:iptwpa", archive__code="ipt")
    item = item_factory(series=series, slug="jrc108028", handle="RePEc:ipt:iptwpa:jrc108028", title="Smart paper")
    authorship_factory(item=item, position=0, name="Ann Smith")
    return item


@pytest.fixture
def cited(item_factory, series_factory, authorship_factory):
    """The item readers say is cited: a working paper by Bob Jones."""
    series = series_factory(code="wpaper", handle="RePEc:sor:wpaper", archive__code="sor")
    item = item_factory(series=series, slug="2015-01", handle="RePEc:sor:wpaper:2015-01", title="On growth")
    authorship_factory(item=item, position=0, name="Bob Jones")
    return item


@pytest.fixture
def unmatched(paper, reference_factory):
    """A reference of `paper` the matcher found nothing for."""
    return reference_factory(citing=paper, position=0, raw_text="Jones, B. (2015) Growth, a note. Sorbonne WP.")


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def field_error(response, field: str) -> str:
    """The error printed next to a field, or ''."""
    found = re.search(rf'<span class="error" id="id_{field}_error" role="alert">([^<]*)</span>', text_of(response))
    return found.group(1) if found else ""


def link_url(reference) -> str:
    return f"/citations/report/link/{reference.pk}/"


def cites_url(item) -> str:
    return f"/citations/report/cites/{item.pk}/"


# The item page's links


def test_item_page_offers_link_it_on_references_that_are_no_citation(
    client, reader, paper, cited, unmatched, reference_factory
):
    matched = reference_factory(citing=paper, position=1, target=cited, status=Reference.Status.MATCHED)
    uncertain = reference_factory(citing=paper, position=2, target=cited, status=Reference.Status.UNCERTAIN)
    rejected = reference_factory(citing=paper, position=3, target=cited, status=Reference.Status.REJECTED)
    # anonymous: log-in links that come back to the form
    page = text_of(client.get(paper.get_absolute_url()))
    assert f'href="/accounts/login/?next=/citations/report/link/{unmatched.pk}/"' in page
    assert f'href="/accounts/login/?next=/citations/report/link/{uncertain.pk}/"' in page
    assert f"/citations/report/link/{matched.pk}/" not in page
    assert f"/citations/report/link/{rejected.pk}/" not in page
    assert page.count(">Link it</a>") == 2
    assert f'href="/accounts/login/?next=/citations/report/cites/{paper.pk}/"' in page
    assert "Report a missing citation of this item" in page
    # logged in: the forms themselves
    client.force_login(reader)
    page = text_of(client.get(paper.get_absolute_url()))
    assert f'href="/citations/report/link/{unmatched.pk}/"' in page
    assert f'href="/citations/report/cites/{paper.pk}/"' in page


def test_item_page_keeps_its_query_budget_with_many_linkable_references(
    client, paper, reference_factory, django_assert_max_num_queries
):
    for i in range(40):
        reference_factory(citing=paper, position=i)
    # the 11 queries of catalogue/itempage.py: the links are built from ids already read
    with django_assert_max_num_queries(11):
        response = client.get(paper.get_absolute_url())
    assert text_of(response).count(">Link it</a>") == 40


# Linking a reference (LINK)


def test_link_form_shows_the_reference(reader_client, unmatched):
    response = reader_client.get(link_url(unmatched))
    assert response.status_code == 200
    page = text_of(response)
    assert "Jones, B. (2015) Growth, a note. Sorbonne WP." in page
    assert 'name="item"' in page
    assert "csrfmiddlewaretoken" in page


def test_link_report_is_pending_and_thanked(reader_client, reader, paper, cited, unmatched):
    response = reader_client.post(link_url(unmatched), {"item": "repec:SOR:wpaper:2015-01"})
    assert response.status_code == 302
    assert response["Location"] == paper.get_absolute_url()
    report = CitationReport.objects.get()
    assert (report.kind, report.reference, report.citing, report.cited) == (LINK, unmatched, paper, cited)
    assert (report.submitted_by, report.status, report.text) == (reader, "pending", "")
    assert THANKS in text_of(reader_client.get(response["Location"]))
    # nothing counts before a moderator approves
    unmatched.refresh_from_db()
    assert unmatched.status == "unmatched"
    assert unmatched.target is None


@pytest.mark.parametrize(
    "named",
    [
        "http://testserver/p/sor/wpaper/2015-01.html",
        "https://ideas.repec.org/p/sor/wpaper/2015-01.html",
        "/citations/p/SOR/wpaper/2015-01.html",
        "testserver/h/RePEc:sor:wpaper:2015-01",
        "RePEc:sor:wpaper:old-1",  # an old handle
    ],
)
def test_link_report_takes_an_address_or_an_old_handle(reader_client, cited, unmatched, named):
    HandleAlias.objects.create(item=cited, handle="RePEc:sor:wpaper:old-1")
    response = reader_client.post(link_url(unmatched), {"item": named})
    assert response.status_code == 302
    assert CitationReport.objects.get().cited == cited


def test_link_report_errors_are_shown_next_to_the_field(reader_client, paper, cited, unmatched, reference_factory):
    def post(reference, named):
        response = reader_client.post(link_url(reference), {"item": named})
        assert response.status_code == 200
        return field_error(response, "item")

    assert post(unmatched, "") == "This field is required."
    assert post(unmatched, "RePEc:sor:wpaper:nope") == reports.UNKNOWN
    assert post(unmatched, "http://testserver/s/sor.html") == reports.UNKNOWN  # an address, not an item's
    assert post(unmatched, "http://[::1") == reports.UNKNOWN
    assert post(unmatched, paper.handle) == "This is the item the reference belongs to: an item does not cite itself."
    counted = reference_factory(citing=paper, position=1, target=cited, status=Reference.Status.MATCHED)
    assert post(counted, cited.handle) == "This reference already links to that item."
    assert CitationReport.objects.count() == 0
    # the same reader twice: the second is refused, the first stays
    assert reader_client.post(link_url(unmatched), {"item": cited.handle}).status_code == 302
    assert post(unmatched, cited.handle) == reports.DUPLICATE
    assert CitationReport.objects.count() == 1


def test_a_wrongly_matched_reference_can_be_linked_to_another_item(
    reader_client, paper, cited, item_factory, reference_factory
):
    wrong = reference_factory(citing=paper, position=0, target=item_factory(), status=Reference.Status.MATCHED)
    form = text_of(reader_client.get(link_url(wrong)))
    assert "name another item if that one is wrong" in form
    assert reader_client.post(link_url(wrong), {"item": cited.handle}).status_code == 302
    assert CitationReport.objects.get().reference == wrong


def test_another_reader_may_report_the_same_link(client, reader, stranger, cited, unmatched):
    for user in (reader, stranger):
        client.force_login(user)
        assert client.post(link_url(unmatched), {"item": cited.handle}).status_code == 302
    assert CitationReport.objects.filter(status="pending").count() == 2


# Reporting an item citing this one (CITES)


def test_cites_report_is_pending_and_thanked(reader_client, reader, paper, cited):
    form = reader_client.get(cites_url(cited))
    assert form.status_code == 200
    assert "On growth" in text_of(form)
    text = "Jones, Bob, 2015. On growth, Sorbonne WP 2015-01."
    response = reader_client.post(cites_url(cited), {"item": paper.get_absolute_url(), "text": f"  {text} "})
    assert response.status_code == 302
    assert response["Location"] == cited.get_absolute_url()
    report = CitationReport.objects.get()
    assert (report.kind, report.reference, report.citing, report.cited) == (CITES, None, paper, cited)
    assert (report.submitted_by, report.status, report.text) == (reader, "pending", text)
    assert THANKS in text_of(reader_client.get(response["Location"]))


def test_cites_report_errors_are_shown_next_to_their_fields(reader_client, paper, cited, reference_factory):
    def post(named, text="Jones (2015)"):
        response = reader_client.post(cites_url(cited), {"item": named, "text": text})
        assert response.status_code == 200
        return field_error(response, "item"), field_error(response, "text")

    assert post("RePEc:xxx:yyy:zzz") == (reports.UNKNOWN, "")
    assert post(cited.handle) == ("This is the item itself: an item does not cite itself.", "")
    assert post(paper.handle, text="  ") == ("", "This field is required.")
    assert post(paper.handle, text="x" * 5001) == ("", "Ensure this value has at most 5000 characters (it has 5001).")
    reference_factory(citing=paper, position=0, target=cited, status=Reference.Status.CONFIRMED)
    assert post(paper.handle) == ("That item is already listed as citing this one.", "")
    assert CitationReport.objects.count() == 0


def test_cites_report_twice_is_refused(reader_client, paper, cited):
    assert reader_client.post(cites_url(cited), {"item": paper.handle, "text": "Jones 2015"}).status_code == 302
    response = reader_client.post(cites_url(cited), {"item": paper.handle, "text": "Jones 2015"})
    assert field_error(response, "item") == reports.DUPLICATE
    assert CitationReport.objects.count() == 1


def test_an_uncertain_citation_can_be_reported(reader_client, paper, cited, reference_factory):
    reference_factory(citing=paper, position=0, target=cited, status=Reference.Status.UNCERTAIN)
    assert reader_client.post(cites_url(cited), {"item": paper.handle, "text": "Jones 2015"}).status_code == 302


# Access


def test_anonymous_readers_are_sent_to_log_in_and_nothing_is_made(client, paper, cited, unmatched):
    for url, data in ((link_url(unmatched), {"item": cited.handle}), (cites_url(cited), {"item": paper.handle})):
        for response in (client.get(url), client.post(url, {**data, "text": "Jones 2015"})):
            assert response.status_code == 302
            assert response["Location"] == f"/accounts/login/?next={url}"
    assert CitationReport.objects.count() == 0


def test_unknown_or_malformed_ids_are_404(reader_client, unmatched, cited):
    for url in (
        "/citations/report/link/abc/",
        "/citations/report/cites/abc/",
        f"/citations/report/link/{unmatched.pk + 1000}/",
        f"/citations/report/cites/{cited.pk + 1000}/",
        "/citations/report/link/99999999999999999999999/",
        "/citations/report/cites/-1/",
    ):
        assert reader_client.get(url).status_code == 404, url
        assert reader_client.post(url, {"item": cited.handle, "text": "x"}).status_code == 404, url


def test_posts_need_the_csrf_token(reader, paper, cited, unmatched):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    assert client.post(link_url(unmatched), {"item": cited.handle}).status_code == 403
    assert client.post(cites_url(cited), {"item": paper.handle, "text": "Jones 2015"}).status_code == 403
    assert CitationReport.objects.count() == 0
    client.get(link_url(unmatched))
    token = client.cookies["csrftoken"].value
    response = client.post(link_url(unmatched), {"item": cited.handle, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert CitationReport.objects.count() == 1


# Approval and rejection


def report_of(user, kind, citing, cited, reference=None, text=""):
    return CitationReport.objects.create(
        kind=kind, citing=citing, cited=cited, reference=reference, text=text, submitted_by=user
    )


def cited_by_section(client, item) -> str:
    page = text_of(client.get(item.get_absolute_url()))
    return page.split('<section id="cited-by">')[1].split("</section>")[0]


def test_approving_a_link_makes_the_citation(client, reader, moderator, paper, cited, unmatched):
    report = report_of(reader, LINK, paper, cited, unmatched)
    assert "No item in the catalogue is known to cite this one yet." in cited_by_section(client, cited)
    assert approve_report(report, moderator) is True
    unmatched.refresh_from_db()
    assert (unmatched.status, unmatched.target) == ("confirmed", cited)
    assert unmatched.decided_by == moderator
    assert unmatched.decided_at
    assert unmatched.linked_at
    assert unmatched.self_citation is False
    report.refresh_from_db()
    assert (report.status, report.decided_by) == ("approved", moderator)
    assert report.decided_at
    cited.refresh_from_db()
    assert cited.citation_count == 1
    section = cited_by_section(client, cited)
    assert "Cited by 1 item:" in section
    assert f'<a href="{paper.get_absolute_url()}">' in section


def test_approving_a_link_moves_the_citation_from_a_wrong_match(
    reader, moderator, paper, cited, item_factory, reference_factory
):
    wrong = item_factory(title="A wrong match")
    reference = reference_factory(citing=paper, position=0, target=wrong, status=Reference.Status.MATCHED)
    refresh_citation_counts([wrong.pk])
    assert Item.objects.get(pk=wrong.pk).citation_count == 1
    approve_report(report_of(reader, LINK, paper, cited, reference), moderator)
    counts = dict(Item.objects.filter(pk__in=[wrong.pk, cited.pk]).values_list("pk", "citation_count"))
    assert counts == {wrong.pk: 0, cited.pk: 1}


def test_an_approved_self_citation_is_flagged(reader, moderator, paper, cited, unmatched, authorship_factory):
    authorship_factory(item=paper, position=1, name="Bob Jones")
    approve_report(report_of(reader, LINK, paper, cited, unmatched), moderator)
    unmatched.refresh_from_db()
    assert unmatched.self_citation is True
    assert Item.objects.get(pk=cited.pk).self_citation_count == 1


def test_approving_an_item_citing_appends_a_reference(client, reader, moderator, paper, cited, unmatched):
    report = report_of(reader, CITES, paper, cited, text="Jones, Bob (2015): On growth.")
    assert approve_report(report, moderator) is True
    added = Reference.objects.get(citing=paper, position=Reference.READERS_FROM)
    assert (added.raw_text, added.status, added.target) == ("Jones, Bob (2015): On growth.", "confirmed", cited)
    assert added.decided_by == moderator
    assert added.linked_at
    assert Reference.objects.get(pk=unmatched.pk).status == "unmatched"  # the list's other entries are untouched
    assert Item.objects.get(pk=cited.pk).citation_count == 1
    assert f'<a href="{paper.get_absolute_url()}">' in cited_by_section(client, cited)


def test_approving_an_item_citing_with_no_reference_list_starts_one(reader, moderator, paper, cited):
    approve_report(report_of(reader, CITES, paper, cited, text="Jones 2015"), moderator)
    assert list(Reference.objects.filter(citing=paper).values_list("position", "status")) == [
        (Reference.READERS_FROM, "confirmed")
    ]


def test_a_reference_added_by_a_reader_survives_a_reload_of_the_list(reader, moderator, paper, cited, tmp_path):
    approve_report(report_of(reader, CITES, paper, cited, text="Jones 2015"), moderator)
    lines = [{"citing": paper.handle, "text": f"Source reference {n}"} for n in range(3)]
    path = tmp_path / "refs.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    assert load_references(path).ok
    rows = list(Reference.objects.filter(citing=paper).order_by("position").values_list("raw_text", "status"))
    assert rows == [*((f"Source reference {n}", "unmatched") for n in range(3)), ("Jones 2015", "confirmed")]
    assert Item.objects.get(pk=cited.pk).citation_count == 1


def test_approving_an_item_citing_confirms_its_uncertain_reference(
    reader, moderator, paper, cited, unmatched, reference_factory
):
    uncertain = reference_factory(citing=paper, position=1, target=cited, status=Reference.Status.UNCERTAIN)
    approve_report(report_of(reader, CITES, paper, cited, text="Jones 2015"), moderator)
    assert Reference.objects.filter(citing=paper).count() == 2
    uncertain.refresh_from_db()
    assert (uncertain.status, uncertain.target, uncertain.raw_text) == ("confirmed", cited, uncertain.raw_text)
    assert Item.objects.get(pk=cited.pk).citation_count == 1


def test_rejecting_changes_nothing_but_the_report(client, reader, moderator, paper, cited, unmatched):
    link = report_of(reader, LINK, paper, cited, unmatched)
    cites = report_of(reader, CITES, paper, cited, text="Jones 2015")
    before = list(Reference.objects.values())
    assert reject_report(link, moderator) is True
    assert reject_report(cites, moderator) is True
    assert list(Reference.objects.values()) == before
    assert Item.objects.get(pk=cited.pk).citation_count == 0
    assert "No item in the catalogue is known to cite this one yet." in cited_by_section(client, cited)
    for report in (link, cites):
        report.refresh_from_db()
        assert (report.status, report.decided_by) == ("rejected", moderator)
        assert report.decided_at


def test_decisions_are_taken_once(reader, stranger, moderator, staff, paper, cited, unmatched):
    mine = report_of(reader, LINK, paper, cited, unmatched)
    theirs = report_of(stranger, LINK, paper, cited, unmatched)
    assert approve_report(mine, moderator) is True
    decided_at = Reference.objects.get(pk=unmatched.pk).decided_at
    assert approve_report(mine, staff) is False
    assert reject_report(CitationReport.objects.get(pk=mine.pk), staff) is False
    mine.refresh_from_db()
    assert (mine.status, mine.decided_by) == ("approved", moderator)
    assert Reference.objects.get(pk=unmatched.pk).decided_at == decided_at
    # the other reader's report of the same pair waits for its own decision
    assert CitationReport.objects.get(pk=theirs.pk).status == "pending"


def test_the_matcher_keeps_an_approved_link(reader, moderator, paper, cited, unmatched):
    approve_report(report_of(reader, LINK, paper, cited, unmatched), moderator)
    match_references(everything=True)
    unmatched.refresh_from_db()
    assert (unmatched.status, unmatched.target) == ("confirmed", cited)
    assert Item.objects.get(pk=cited.pk).citation_count == 1


def test_who_may_moderate(user_factory, reader, moderator, staff, paper, cited):
    report = report_of(reader, CITES, paper, cited, text="x")
    staff_without = user_factory(username="s", is_staff=True)
    inactive = user_factory(username="i", is_superuser=True, is_active=False)
    assert can_moderate(staff, report)
    assert can_moderate(moderator, report)
    assert not can_moderate(reader, report)
    assert not can_moderate(staff_without, report)
    assert not can_moderate(inactive, report)
    outcome = moderate([report], reader, approve=True)
    assert (outcome.done, outcome.already, outcome.not_allowed) == (0, 0, 1)
    assert CitationReport.objects.get(pk=report.pk).status == "pending"


# The moderation queue in the admin


def test_queue_lists_pending_reports_first(staff_client, reader, paper, cited, unmatched, item_factory):
    older = item_factory(title="Approved long ago")
    approved = report_of(reader, CITES, older, cited, text="x")
    approved.status = "approved"
    approved.save()
    pending = report_of(reader, LINK, paper, cited, unmatched)
    response = staff_client.get(QUEUE)
    assert response.status_code == 200
    page = text_of(response)
    rows = re.findall(r'<a href="/admin/catalogue/citationreport/(\d+)/change/', page)
    assert rows == [str(pending.pk), str(approved.pk)]
    assert "Jones, B. (2015) Growth, a note." in page
    assert "Approve selected" in page
    assert "Reject selected" in page
    filtered = text_of(staff_client.get(QUEUE, {"status__exact": "pending", "kind__exact": "link"}))
    assert f"/admin/catalogue/citationreport/{approved.pk}/change/" not in filtered
    # a report opens read-only: decisions go through the actions
    change = staff_client.get(f"{QUEUE}{pending.pk}/change/")
    assert change.status_code == 200
    assert 'name="status"' not in change.content.decode()


def test_queue_actions_approve_and_reject(staff_client, staff, reader, paper, cited, unmatched, item_factory):
    link = report_of(reader, LINK, paper, cited, unmatched)
    other_citer = item_factory(title="Another citer")
    cites = report_of(reader, CITES, other_citer, cited, text="Jones 2015")
    unwanted = report_of(reader, CITES, item_factory(title="Spam"), cited, text="buy")
    response = staff_client.post(QUEUE, {"action": "approve_selected", "_selected_action": [link.pk, cites.pk]})
    assert response.status_code == 302
    assert "Approved 2 reports." in text_of(staff_client.get(QUEUE))
    assert Item.objects.get(pk=cited.pk).citation_count == 2
    response = staff_client.post(
        QUEUE, {"action": "reject_selected", "_selected_action": [unwanted.pk, link.pk]}, follow=True
    )
    page = text_of(response)
    assert "Rejected 1 report." in page
    assert "1 already decided, left as they were." in page
    statuses = dict(CitationReport.objects.values_list("pk", "status"))
    assert statuses == {link.pk: "approved", cites.pk: "approved", unwanted.pk: "rejected"}
    assert CitationReport.objects.get(pk=unwanted.pk).decided_by == staff


def test_queue_actions_skip_reports_the_user_may_not_moderate(
    staff_client, monkeypatch, reader, paper, cited, unmatched
):
    allowed = report_of(reader, LINK, paper, cited, unmatched)
    denied = report_of(reader, CITES, paper, cited, text="x")
    monkeypatch.setattr(reports, "can_moderate", lambda user, report: report.pk != denied.pk)
    response = staff_client.post(
        QUEUE, {"action": "approve_selected", "_selected_action": [allowed.pk, denied.pk]}, follow=True
    )
    page = text_of(response)
    assert "Approved 1 report." in page
    assert "1 you may not moderate, skipped." in page
    assert CitationReport.objects.get(pk=denied.pk).status == "pending"


def test_staff_with_the_permission_moderate(client, moderator, reader, paper, cited, unmatched):
    report = report_of(reader, LINK, paper, cited, unmatched)
    client.force_login(moderator)
    assert client.get(QUEUE).status_code == 200
    client.post(QUEUE, {"action": "approve_selected", "_selected_action": [report.pk]})
    assert CitationReport.objects.get(pk=report.pk).status == "approved"


def test_readers_have_no_access_to_the_queue(reader_client, reader, paper, cited, unmatched):
    report = report_of(reader, LINK, paper, cited, unmatched)
    response = reader_client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    response = reader_client.post(QUEUE, {"action": "approve_selected", "_selected_action": [report.pk]})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert CitationReport.objects.get(pk=report.pk).status == "pending"


def test_staff_without_the_permission_cannot_see_the_queue(client, user_factory):
    staff_without = user_factory(username="s", is_staff=True)
    client.force_login(staff_without)
    assert client.get(QUEUE).status_code == 403


def test_the_reader_is_told_of_the_decision_and_sees_their_reports(
    reader_client, reader, stranger, moderator, paper, cited, mailoutbox, django_capture_on_commit_callbacks
):
    mine = report_of(reader, CITES, paper, cited, text="Jones 2015")
    theirs = report_of(stranger, CITES, cited, paper, text="Smith 2016")
    with django_capture_on_commit_callbacks(execute=True):
        approve_report(mine, moderator)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["reader@example.org"]
    assert "approved: the citation now counts" in mailoutbox[0].body
    assert f"http://127.0.0.1:8000{cited.get_absolute_url()}" in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        reject_report(theirs, moderator)
        reject_report(mine, moderator)  # already decided: no second e-mail
    assert [m.to for m in mailoutbox] == [["reader@example.org"], ["stranger@example.org"]]
    page = reader_client.get("/me/reports/").content.decode()
    assert "Jones" not in page  # the reference text is not listed, the items are
    assert paper.title in page
    assert "Approved" in page
    assert page.count('class="status"') == 1  # theirs is not listed
    assert Client().get("/me/reports/").status_code == 302
