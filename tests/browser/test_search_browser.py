"""A reader searches in a real browser: types a query, narrows it with a facet and a filter,
sorts, pages through the address, and opens a result."""

import re

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server):
    call_command("load_demo", verbosity=0)
    return live_server


def listed(page) -> list[str]:
    return page.locator("ol.items li a[href$='.html']").evaluate_all("links => links.map(a => a.textContent)")


def test_reader_searches_filters_sorts_and_opens_a_result(page, demo):
    page.goto(f"{demo.url}/")
    page.get_by_role("searchbox").first.fill("smart specialisation")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=smart\+specialisation"))
    assert page.title().startswith("smart specialisation · Search")
    summary = page.locator("p.summary").inner_text()
    total = int(re.search(r"of (\d+) for", summary).group(1))
    assert total > 5
    assert "Implementing smart specialisation - thematic platform on industrial modernisation" in listed(page)

    # a facet narrows to working papers; the count beside it is what the page then says
    facet = page.locator("aside.facets a", has_text="Working paper")
    expected = int(facet.locator("xpath=following-sibling::span[1]").inner_text().lstrip("~"))
    facet.click()
    page.wait_for_url(re.compile(r"type=p"))
    assert f"of {expected} for" in page.locator("p.summary").inner_text()
    assert expected < total
    assert page.get_by_role("list", name="Filters in use").inner_text().startswith("Type: Working paper")

    # sort by newest: the same items, newest first
    before = sorted(listed(page))
    page.get_by_label("Sort by").select_option("newest")
    page.get_by_role("button", name="Search", exact=True).last.click()
    page.wait_for_url(re.compile(r"sort=newest"))
    assert sorted(listed(page)) == before
    years = [int(y) for y in re.findall(r", (\d{4})\. \"", "\n".join(page.locator("ol.items li").all_inner_texts()))]
    assert len(years) == len(before)
    assert years == sorted(years, reverse=True)
    assert years[0] > years[-1]

    # a filter from the form: years, kept with the query and the facet
    filters = page.locator("details.filters")
    assert filters.get_attribute("open") is not None  # open, since a filter is in use
    page.get_by_label("From year").fill("2017")
    page.get_by_label("To year").fill("2017")
    page.get_by_role("button", name="Search", exact=True).last.click()
    page.wait_for_url(re.compile(r"year_from=2017"))
    assert "type=p" in page.url
    assert "sort=newest" in page.url
    assert "q=smart+specialisation" in page.url
    titles = listed(page)
    assert set(re.findall(r", (\d{4})\. \"", "\n".join(page.locator("ol.items li").all_inner_texts()))) == {"2017"}
    assert "Implementing smart specialisation - thematic platform on industrial modernisation" in titles

    # a mistyped year is told, not a 500
    shared = page.url
    page.goto(shared.replace("year_to=2017", "year_to=twenty"))
    assert page.get_by_role("alert").inner_text().startswith("Some filters could not be read")

    # the shared address gives the same page; a result opens its item page
    page.goto(shared)
    assert listed(page) == titles
    page.get_by_role("link", name="Implementing smart specialisation - thematic platform on industrial").click()
    page.wait_for_url(re.compile(r"/p/ipt/iptwpa/jrc108028\.html$"))
    assert page.locator("h1#title").inner_text().startswith("Implementing smart specialisation")


DEBUG_FIELDS = """[...document.querySelectorAll('form.search-page .field')].map(p =>
  [p.querySelector('label').textContent, Math.round(p.querySelector('input, select').getBoundingClientRect().left)])"""


def test_a_reader_chooses_an_archive_by_its_name_and_the_filters_line_up(page, demo):
    """Issue 18, item 4: the archive was typed as a code; now its name finds it."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{demo.url}/search/?q=smart+specialisation")
    page.locator("details.filters summary").click()
    archive = page.get_by_label("Archive")
    archive.press_sequentially("Joint Res", delay=30)
    page.locator("#choices-archive option").first.wait_for(state="attached")
    options = page.locator("#choices-archive option").evaluate_all("os => os.map(o => [o.value, o.label])")
    assert ["ipt", "Joint Research Centre (Seville site)"] in options
    archive.fill("ipt")  # what choosing the suggestion puts in the field
    # every filter's box starts at the same place in its column
    lefts = page.locator("form.search-page .field").evaluate_all(
        "ps => ps.map(p => [Math.round(p.getBoundingClientRect().left),"
        " Math.round(p.querySelector('input, select').getBoundingClientRect().left)])"
    )
    by_column: dict[int, set[int]] = {}
    for column, box in lefts:
        by_column.setdefault(column, set()).add(box)
    assert all(len(boxes) == 1 for boxes in by_column.values()), str(page.evaluate(DEBUG_FIELDS))
    page.get_by_role("button", name="Search", exact=True).last.click()
    page.wait_for_url(re.compile(r"archive=ipt"))
    assert all("/ipt/" in href for href in page.locator("ol.items li > a").evaluate_all("as => as.map(a => a.href)"))
