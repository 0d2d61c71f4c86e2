"""Every address of the catalogue (catalogue/urls.py) and the accounts (allauth) walked with
hostile path segments and query values, as a robot or a fuzzer sends them: none may answer 500.

A NUL byte anywhere in the path is a 404 and in a query value a 400 (PostgreSQL refuses NUL in
text, so it must never reach a query); `..`, 10,000 characters, invalid UTF-8 and `/` get
whatever the page answers to a wrong address (404, a redirect), never a server error. Run on
PostgreSQL too (DATABASE_URL), where the NUL bytes used to fail.

The visitors: an anonymous robot walks the paths (no page with a part of the address to look
up reads who is logged in); `ana`, a logged-in reader, sends the queries (the /me/ pages read
theirs only for her).
"""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

HANDLE = "RePEc:sor:wpaper:2017-01"

#: Hostile path segments, as written in the address (the server decodes the escapes).
HOSTILE_SEGMENTS = {
    "NUL": "%00",
    "NUL inside": "2017%0001",
    "dot-dot": "..",
    "escaped dot-dot": "%2e%2e",
    "10,000 characters": "a" * 10_000,
    "invalid UTF-8": "%ff",
    "overlong UTF-8": "%c0%ae%c0%ae",
    "slash": "a/b",
    "escaped slash": "a%2Fb",
    "climbing": "..%2f..%2fetc%2fpasswd",
}

#: A value for each parameter, so that the other parts of an address are right.
VALID = {
    "letter": "p",
    "archive": "sor",
    "series": "wpaper",
    "code": "2017-01",
    "handle": HANDLE,
    "extension": "bib",
    "short_id": "pva12",
    "keyword": "growth",
    "file_id": "1",
    "pk": "1",
    "date": "2020-01-06",
    "key": "MTA:1abcde:xyz",  # allauth's e-mail confirmation key
    "uidb36": "1",
    "uidb64": "MQ",
    "token": "set-password",
    "name": "sorarch",  # a RePEc archive file (catalogue.views.repec)
    "field": "archive",  # a search chooser
    "cc": "es",  # a country of the institutions directory
}
#: Parameters named alike that mean another thing on some pages.
VALID_FOR = {
    "jel": {"code": "O31"},
    "nep_report": {"code": "nep-ino"},
    "nep_issue": {"code": "nep-ino"},
    "sitemap_section": {"section": "items", "number": "0"},
    "repec_series_file": {"name": "wpaper"},
    "open_data_file": {"name": "manifest.json"},
}
_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")  # allauth's re_path() groups, as <name>


def walk(resolver=None, prefix=""):
    """(name, route) of every pattern below the site's URLconf, the admin's left out (it answers
    strangers with the log-in page before reading any part of the address)."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + _REGEX_GROUP.sub(r"<\1>", str(entry.pattern).removeprefix("^").removesuffix("$"))
        if isinstance(entry, URLResolver):
            if not route.startswith("admin/"):
                yield from walk(entry, route)
        elif isinstance(entry, URLPattern):
            yield entry.name or route, route


PATTERNS = sorted(set(walk()))


def addresses(name: str, route: str):
    """(what, address): each parameter in turn hostile, the others right; then all hostile."""
    names = _PARAMETER.findall(route)
    valid = {**VALID, **VALID_FOR.get(name, {})}
    for what, segment in HOSTILE_SEGMENTS.items():
        for hostile in names:
            path = _PARAMETER.sub(lambda m, h=hostile, s=segment: s if m[1] == h else valid[m[1]], route)
            yield f"{hostile} = {what}", "/" + path
        if len(names) > 1 or not names:  # no parameter: the segment appended to the address
            path = _PARAMETER.sub(lambda m, s=segment: s, route) if names else route + segment
            yield f"all = {what}", "/" + path


@pytest.fixture
def ana(django_user_model):
    return django_user_model.objects.create_user(username="ana", email="ana@example.org", password="x")


@pytest.fixture
def catalogue(item_factory, series_factory, archive_factory, person_factory, file_factory, authorship_factory):
    """One of everything the addresses name, so that the walk reaches the pages' own queries."""
    series = series_factory(archive=archive_factory(code="sor"), code="wpaper")
    item = item_factory(series=series, slug="2017-01", handle=HANDLE)
    person = person_factory(short_id="pva12")
    authorship_factory(item=item, position=0, person=person, name="Ana van der Berg")
    file_factory(item=item, position=0)
    return item


def get(client: Client, address: str):
    response = client.get(address)
    detail = response.exc_info[1] if response.exc_info else ""
    return response.status_code, f"{address[:120]}: {response.status_code} {detail!r}"


@pytest.mark.parametrize(("name", "route"), PATTERNS, ids=[name for name, _ in PATTERNS])
def test_no_hostile_path_segment_is_a_server_error(catalogue, name, route):
    robot = Client(raise_request_exception=False)
    failures = []
    for what, address in addresses(name, route):
        status, detail = get(robot, address)
        if status >= 500 or ("NUL" in what and status != 404):
            failures.append(f"{what}: {detail}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(("name", "route"), PATTERNS, ids=[name for name, _ in PATTERNS])
def test_a_nul_in_a_query_value_is_a_400(catalogue, ana, name, route):
    valid = {**VALID, **VALID_FOR.get(name, {})}
    address = "/" + _PARAMETER.sub(lambda m: valid[m[1]], route)
    client = Client(raise_request_exception=False)
    client.force_login(ana)
    # the health check answers first, before any other middleware, and reads no query (views/health.py)
    expected = 200 if name == "healthz" else 400
    for query in ["keyword=%00", "q=a%00b", "page=1%00", "archive=sor%00&series=sor:wpaper", "%00=1"]:
        status, detail = get(client, f"{address}?{query}")
        assert status == expected, f"?{query}: {detail}"


def test_the_walk_reaches_the_pages(catalogue):
    """The right values give the pages themselves, so the hostile ones are tried where it counts."""
    client = Client()
    for name, route in PATTERNS:
        if name in ("item", "series", "archive", "person", "export", "cited_by", "item_stats", "feed_series_rss"):
            address = "/" + _PARAMETER.sub(lambda m: VALID[m[1]], route)
            assert client.get(address).status_code == 200, address
    assert len(PATTERNS) > 50  # catalogue/urls.py and allauth's


@pytest.mark.parametrize(
    "query",
    ["keyword=%00", "keyword=growth&keyword=%00x", "q=%00", "archive=%00", "series=sor%00:wpaper", "jel=O%003"],
)
def test_search_filters_refuse_a_nul(client, catalogue, query):
    response = client.get(f"/search/?{query}")
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_the_admin_refuses_a_nul_too(admin_client, catalogue):
    """The walk leaves the admin out (strangers get its log-in page); staff meet the same rule."""
    assert admin_client.get(f"/admin/catalogue/item/{catalogue.pk}/change/").status_code == 200
    assert admin_client.get("/admin/catalogue/item/1%00/change/").status_code == 404
    assert admin_client.get("/admin/catalogue/item/?q=%00").status_code == 400
    assert admin_client.get("/admin/catalogue/archive/?q=sor").status_code == 200
