"""'My bibliography': saving from the item page, the list at /me/bibliography/, removing, the
BibTeX and RIS exports of the whole list, who may do what, bad input, CSRF and query counts.

The readers (personas, tests/personas.py):
- `reader` saves items; they see, remove and export only theirs.
- `stranger` is another logged-in reader: sees none of the reader's items and cannot remove them.
- the anonymous visitor is sent to log in by every /me/ address and changes nothing.
"""

import html

import bibtexparser
import pybtex.database
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from django.test import Client

from catalogue.models import SavedItem
from catalogue.readers.bibliography import save_item, saved_items
from catalogue.views.access import parse_ids
from catalogue.views.bibliography import BibliographyView

pytestmark = pytest.mark.django_db

TITLE = "Growth & {Braces}: 50% of Sörvik's data"
HANDLE = "RePEc:sor:wpaper:2017-01"


@pytest.fixture
def item(archive_factory, series_factory, item_factory, authorship_factory):
    archive = archive_factory(code="sor", name="Sörvik Institute")
    series = series_factory(archive=archive, code="wpaper", name="Working Papers", provider_name="Sörvik & Co")
    item = item_factory(series=series, slug="2017-01", handle=HANDLE, title=TITLE, year=2017)
    authorship_factory(item=item, position=0, name="Jens Sörvik")
    authorship_factory(item=item, position=1, name="Ana María van der Berg")
    return item


@pytest.fixture
def other_item(item_factory, authorship_factory):
    other = item_factory(title="Öresund & the regions", year=2019)
    authorship_factory(item=other, position=0, name="Åsa Öberg")
    return other


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def saved_ids(user) -> list[int]:
    return list(SavedItem.objects.filter(user=user).values_list("item_id", flat=True))


# -- the item page ---------------------------------------------------------------------------


def test_anonymous_item_page_offers_to_log_in(client, item):
    text = text_of(client.get(item.get_absolute_url()))
    assert '<a href="/accounts/login/?next=/p/sor/wpaper/2017-01.html">Sign in to save this paper</a>' in text
    assert "Save this paper</button>" not in text
    assert "/me/bibliography/save/" not in text


def test_save_from_the_item_page_then_remove(client, reader, item):
    client.force_login(reader)
    text = text_of(client.get(item.get_absolute_url()))
    assert '<form method="post" action="/me/bibliography/save/">' in text
    assert f'<input type="hidden" name="item" value="{item.pk}"><button type="submit">Save this paper</button>' in text
    assert 'name="csrfmiddlewaretoken"' in text
    assert '<a href="/me/bibliography/">My bibliography</a>' in text  # in the header and above the title

    response = client.post("/me/bibliography/save/", {"item": item.pk})
    assert response.status_code == 302
    assert response["Location"] == item.get_absolute_url()
    assert saved_ids(reader) == [item.pk]
    text = text_of(client.get(item.get_absolute_url()))
    assert "Saved in your bibliography." in text
    assert '<span class="saved">Saved</span>' in text
    assert "Remove from my bibliography</button>" in text
    assert "Save this paper</button>" not in text

    response = client.post("/me/bibliography/remove/", {"item": item.pk, "next": item.get_absolute_url()})
    assert response.status_code == 302
    assert response["Location"] == item.get_absolute_url()
    assert saved_ids(reader) == []
    text = text_of(client.get(item.get_absolute_url()))
    assert "Removed 1 item from your bibliography." in text
    assert "Save this paper</button>" in text


def test_saving_twice_keeps_one_row(client, reader, item):
    client.force_login(reader)
    client.post("/me/bibliography/save/", {"item": item.pk})
    client.post("/me/bibliography/save/", {"item": str(item.pk)})
    assert save_item(reader, item) is False
    assert saved_ids(reader) == [item.pk]
    assert "This item was already in your bibliography." in text_of(client.get(item.get_absolute_url()))


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/me/bibliography/?page=1", "/me/bibliography/?page=1"),
        ("https://evil.example/phish", None),
        ("//evil.example/phish", None),
        ("javascript:alert(1)", None),
    ],
)
def test_save_goes_back_to_a_safe_next_only(client, reader, item, next_url, expected):
    client.force_login(reader)
    response = client.post("/me/bibliography/save/", {"item": item.pk, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == (expected or item.get_absolute_url())


# -- the list --------------------------------------------------------------------------------


def test_empty_bibliography(client, reader):
    client.force_login(reader)
    response = client.get("/me/bibliography/")
    assert response.status_code == 200
    text = text_of(response)
    assert "Your bibliography is empty." in text
    assert "Remove selected" not in text
    assert "no-cache" in response["Cache-Control"]


def test_list_is_newest_first_with_citation_lines_and_checkboxes(client, reader, item, other_item):
    save_item(reader, item)
    save_item(reader, other_item)
    client.force_login(reader)
    text = text_of(client.get("/me/bibliography/"))
    assert text.index("Öresund & the regions") < text.index(TITLE)  # saved last, listed first
    assert f'Jens Sörvik & Ana María van der Berg, 2017. "<a href="{item.get_absolute_url()}">{TITLE}</a>,"' in text
    for saved in (item, other_item):
        assert f'<input type="checkbox" name="item" value="{saved.pk}"' in text
    assert '<form method="post" action="/me/bibliography/remove/" class="bibliography">' in text
    assert "Remove selected</button>" in text
    assert 'href="/me/bibliography.bib"' in text
    assert 'href="/me/bibliography.ris"' in text
    assert "Export all 2 items" in text


def test_list_is_paginated(client, reader, item_factory, monkeypatch):
    monkeypatch.setattr(BibliographyView, "paginate_by", 2)
    items = item_factory.create_batch(3)
    for saved in items:
        save_item(reader, saved)
    client.force_login(reader)
    first = text_of(client.get("/me/bibliography/"))
    second = text_of(client.get("/me/bibliography/?page=2"))
    assert "3 items, page 1 of 2" in first
    assert items[2].title in first
    assert items[1].title in first
    assert items[0].title not in first
    assert items[0].title in second
    assert '<ol class="items" start="3">' in second
    assert client.get("/me/bibliography/?page=3").status_code == 404


def test_remove_selected(client, reader, item, other_item, item_factory):
    third = item_factory()
    for saved in (item, other_item, third):
        save_item(reader, saved)
    client.force_login(reader)
    response = client.post("/me/bibliography/remove/", {"item": [item.pk, third.pk]})
    assert response.status_code == 302
    assert response["Location"] == "/me/bibliography/"
    assert saved_ids(reader) == [other_item.pk]
    text = text_of(client.get("/me/bibliography/"))
    assert "Removed 2 items from your bibliography." in text
    assert "Öresund & the regions" in text
    assert TITLE not in text


def test_remove_with_nothing_selected_changes_nothing(client, reader, item):
    save_item(reader, item)
    client.force_login(reader)
    response = client.post("/me/bibliography/remove/", follow=True)
    assert "Select the items to remove first." in text_of(response)
    assert saved_ids(reader) == [item.pk]


# -- exports ---------------------------------------------------------------------------------


def test_bibtex_export_of_every_saved_item(client, reader, item, other_item):
    save_item(reader, item)
    save_item(reader, other_item)
    client.force_login(reader)
    response = client.get("/me/bibliography.bib")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="my-bibliography.bib"'
    assert "no-cache" in response["Cache-Control"]
    text = response.content.decode()
    assert "Sörvik" in text
    assert r"Growth \& \{Braces\}: 50\% of" in text
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks
    first, second = library.entries
    assert first.key == other_item.handle
    assert first["title"] == "Öresund & the regions"
    assert first["author"] == "Öberg, Åsa"
    assert second.key == HANDLE
    assert second["title"] == TITLE
    assert second["author"] == "Sörvik, Jens and van der Berg, Ana María"
    assert second["institution"] == "Sörvik & Co"
    assert second["url"] == f"http://testserver{item.get_absolute_url()}"


def test_bibtex_export_keeps_a_hostile_title_in_its_field(client, reader, item, other_item):
    """A title that closes its field early for a reader counting every brace (pybtex, BibTeX)
    and adds a `url`: both readers find two entries, each with its own address only."""
    other_item.title = 'Growth}, url = "https://evil.example/", note = {x'
    other_item.save()
    save_item(reader, item)
    save_item(reader, other_item)
    client.force_login(reader)
    text = client.get("/me/bibliography.bib").content.decode()
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks
    assert [entry["title"] for entry in library.entries] == [other_item.title, TITLE]
    parsed = pybtex.database.parse_string(text, "bibtex").entries
    assert list(parsed) == [other_item.handle, HANDLE]
    assert [entry.fields["url"] for entry in parsed.values()] == [
        f"http://testserver{other_item.get_absolute_url()}",
        f"http://testserver{item.get_absolute_url()}",
    ]
    assert all("note" not in entry.fields for entry in parsed.values())


def test_ris_export_of_every_saved_item(client, reader, item, other_item):
    save_item(reader, item)
    save_item(reader, other_item)
    client.force_login(reader)
    response = client.get("/me/bibliography.ris")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="my-bibliography.ris"'
    first, second = rispy.loads(response.content.decode())
    assert first["id"] == other_item.handle
    assert first["title"] == "Öresund & the regions"
    assert second["id"] == HANDLE
    assert second["title"] == TITLE
    assert second["authors"] == ["Sörvik, Jens", "van der Berg, Ana María"]
    assert second["publisher"] == "Sörvik & Co"


@pytest.mark.parametrize("extension", ["bib", "ris"])
def test_empty_exports_are_empty_files(client, reader, extension):
    client.force_login(reader)
    response = client.get(f"/me/bibliography.{extension}")
    assert response.status_code == 200
    assert response.content == b""


# -- who may do what -------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/me/bibliography/", "/me/bibliography.bib", "/me/bibliography.ris"])
def test_anonymous_get_is_sent_to_log_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


def test_anonymous_post_is_sent_to_log_in_and_changes_nothing(client, reader, item, other_item):
    save_item(reader, item)
    response = client.post("/me/bibliography/save/", {"item": other_item.pk, "next": other_item.get_absolute_url()})
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={other_item.get_absolute_url()}"
    response = client.post("/me/bibliography/remove/", {"item": item.pk})
    assert response["Location"] == "/accounts/login/?next=/me/bibliography/"
    assert SavedItem.objects.count() == 1
    assert saved_ids(reader) == [item.pk]


def test_another_reader_neither_sees_nor_removes_anothers_items(client, reader, stranger, item, other_item):
    save_item(reader, item)
    save_item(reader, other_item)
    save_item(stranger, other_item)
    client.force_login(stranger)
    response = client.post("/me/bibliography/remove/", {"item": [item.pk, other_item.pk]})
    assert response.status_code == 302
    assert sorted(saved_ids(reader)) == sorted([item.pk, other_item.pk])  # the reader's rows remain
    assert saved_ids(stranger) == []  # only the stranger's own row went
    text = text_of(client.get("/me/bibliography/"))
    assert "Your bibliography is empty." in text
    assert TITLE not in text
    assert client.get("/me/bibliography.bib").content == b""
    assert client.get("/me/bibliography.ris").content == b""
    # the stranger's item page does not show the reader's saved state
    assert "Save this paper</button>" in text_of(client.get(item.get_absolute_url()))
    assert list(saved_items(reader).values_list("pk", flat=True)) == [other_item.pk, item.pk]


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"item": "abc"}, "'abc' is not an item id."),
        ({"item": "-3"}, "'-3' is not an item id."),
        ({"item": "1.5"}, "'1.5' is not an item id."),
        ({"item": "99999999999999999999999"}, "is not an item id."),
        ({"item": "٣"}, "is not an item id."),  # a digit, but not an ASCII one
        ({}, "Name one item to save, by its id."),
        ({"item": ["1", "2"]}, "Name one item to save, by its id."),
    ],
)
def test_malformed_save_is_a_400_that_says_why(client, reader, item, data, message):
    client.force_login(reader)
    response = client.post("/me/bibliography/save/", data)
    assert response.status_code == 400
    text = text_of(response)
    assert "<h1>Bad request</h1>" in text
    assert message in text
    assert saved_ids(reader) == []


def test_saving_an_unknown_item_is_a_404(client, reader, item):
    client.force_login(reader)
    response = client.post("/me/bibliography/save/", {"item": item.pk + 1000})
    assert response.status_code == 404
    assert f"No item has the id {item.pk + 1000}." in text_of(response)
    assert saved_ids(reader) == []


def test_malformed_remove_is_a_400_and_removes_nothing(client, reader, item):
    save_item(reader, item)
    client.force_login(reader)
    response = client.post("/me/bibliography/remove/", {"item": [str(item.pk), "x"]})
    assert response.status_code == 400
    assert "'x' is not an item id." in text_of(response)
    assert saved_ids(reader) == [item.pk]
    # ids of items that are not saved (or do not exist) remove nothing and are no error
    assert client.post("/me/bibliography/remove/", {"item": [item.pk + 1000]}).status_code == 302
    assert saved_ids(reader) == [item.pk]


def test_get_on_the_post_addresses_is_refused(client, reader):
    client.force_login(reader)
    assert client.get("/me/bibliography/save/").status_code == 405
    assert client.get("/me/bibliography/remove/").status_code == 405


def test_parse_item_ids_keeps_order_and_drops_repeats():
    assert parse_ids(["3", " 1 ", "3"], "an item id") == [3, 1]
    assert parse_ids([], "an item id") == []
    with pytest.raises(ValueError, match=r"'0' is not an item id\."):
        parse_ids(["0"], "an item id")


def test_a_post_without_csrf_token_is_refused(reader, item):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    assert client.post("/me/bibliography/save/", {"item": item.pk}).status_code == 403
    assert saved_ids(reader) == []
    save_item(reader, item)
    assert client.post("/me/bibliography/remove/", {"item": item.pk}).status_code == 403
    assert saved_ids(reader) == [item.pk]
    # with the token the item page's form carries, the same post works
    client.get(item.get_absolute_url())
    token = client.cookies["csrftoken"].value
    response = client.post("/me/bibliography/remove/", {"item": item.pk, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert saved_ids(reader) == []


# -- query counts ----------------------------------------------------------------------------


@pytest.fixture
def many_items(item_factory, authorship_factory, keyword_factory, item_keyword_factory, file_factory):
    def make(count):
        items = item_factory.create_batch(count)
        for made in items:
            authorship_factory(item=made, position=0)
            authorship_factory(item=made, position=1)
            item_keyword_factory(item=made, keyword=keyword_factory(), position=0)
            file_factory(item=made, position=0)
        return items

    return make


@pytest.mark.parametrize("count", [1, 40])
def test_list_query_count_is_constant(client, reader, many_items, count, django_assert_max_num_queries):
    for made in many_items(count):
        save_item(reader, made)
    client.force_login(reader)
    # 1 session + 2 user + 3 count + 4 the page of items with series and archives + 5 their authorships
    # + 6 the header's count of citations waiting for the author
    with django_assert_max_num_queries(6):
        response = client.get("/me/bibliography/")
    assert text_of(response).count('<input type="checkbox" name="item"') == count


@pytest.mark.parametrize("count", [1, 40])
@pytest.mark.parametrize("extension", ["bib", "ris"])
def test_export_query_count_is_constant(client, reader, many_items, count, extension, django_assert_max_num_queries):
    for made in many_items(count):
        save_item(reader, made)
    client.force_login(reader)
    # 1 session + 2 user + 3 items with series and archives + 4 authorships with persons
    # + 5 keywords + 6 JEL codes + 7 files
    with django_assert_max_num_queries(7):
        response = client.get(f"/me/bibliography.{extension}")
    text = response.content.decode()
    entries = bibtexparser.parse_string(text).entries if extension == "bib" else rispy.loads(text)
    assert len(entries) == count


@pytest.mark.parametrize("saved", [False, True])
def test_item_page_costs_a_reader_one_query_more(client, reader, item, saved, django_assert_max_num_queries):
    if saved:
        save_item(reader, item)
    client.force_login(reader)
    # 1 session + 2 user + the anonymous page's 11 (tests/pages/test_item_page.py) + 1 the saved state
    # + 1 the header's count of citations waiting for the author
    with django_assert_max_num_queries(15):
        response = client.get(item.get_absolute_url())
    assert ("Remove from my bibliography" in text_of(response)) is saved
