"""/oai answers each verb, every error of the protocol, and pages by signed resumption tokens;
every response passes the structural checks of tests/oai/checks.py."""

import datetime as dt

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from catalogue.ingest.importer import Importer
from catalogue.models import Item
from catalogue.oai.protocol import TOKEN_SALT
from catalogue.redif.parser import parse_text

from .checks import NS, check, error_codes

pytestmark = pytest.mark.django_db


def oai(client, **arguments):
    response = client.get("/oai", arguments)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return check(b"".join(response.streaming_content))


def texts(root, path):
    return [e.text for e in root.iterfind(path, NS)]


def test_identify(client, catalogue):
    root = oai(client, verb="Identify")
    assert root.find("o:request", NS).attrib == {"verb": "Identify"}
    assert root.findtext("o:Identify/o:baseURL", namespaces=NS) == "http://testserver/oai"
    assert root.findtext("o:Identify/o:deletedRecord", namespaces=NS) == "persistent"
    first = Item.objects.order_by("updated_at").first().updated_at
    assert root.findtext("o:Identify/o:earliestDatestamp", namespaces=NS) == first.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_list_metadata_formats(client, catalogue):
    root = oai(client, verb="ListMetadataFormats")
    assert texts(root, ".//o:metadataPrefix") == ["oai_dc", "redif"]
    one = oai(client, verb="ListMetadataFormats", identifier="oai:econcat:RePEc:ipt:iptwpa:jrc108028")
    assert texts(one, ".//o:metadataPrefix") == ["oai_dc", "redif"]
    assert one.find("o:request", NS).get("identifier") == "oai:econcat:RePEc:ipt:iptwpa:jrc108028"


def test_list_sets_gives_archives_then_their_series(client, catalogue):
    root = oai(client, verb="ListSets")
    assert texts(root, ".//o:setSpec") == ["abc", "abc:abcwps", "ipt", "ipt:iptwpa"]
    assert texts(root, ".//o:setName") == ["ABC Institute", "ABC Papers", "JRC Seville", "JRC Working Papers"]


def test_get_record_oai_dc(client, catalogue):
    root = oai(client, verb="GetRecord", identifier="oai:econcat:RePEc:ipt:iptwpa:jrc108028", metadataPrefix="oai_dc")
    header = root.find(".//o:header", NS)
    assert header.findtext("o:identifier", namespaces=NS) == "oai:econcat:RePEc:ipt:iptwpa:jrc108028"
    assert texts(header, "o:setSpec") == ["ipt", "ipt:iptwpa"]
    dc = root.find(".//oai_dc:dc", NS)
    assert texts(dc, "dc:title") == ["Growth & <innovation>"]
    assert texts(dc, "dc:creator") == ["Ana Díaz", "Bo Li"]
    assert texts(dc, "dc:contributor") == ["Ed Itor"]
    assert "JEL: O31" in texts(dc, "dc:subject")
    assert texts(dc, "dc:identifier") == [
        "http://testserver/p/ipt/iptwpa/jrc108028.html",
        "https://doi.org/10.1/x",
        "RePEc:ipt:iptwpa:jrc108028",
    ]
    assert texts(dc, "dc:format") == ["application/pdf"]


def test_get_record_redif_is_the_cite_export(client, catalogue):
    root = oai(client, verb="GetRecord", identifier="oai:econcat:repec:ipt:iptwpa:JRC108028", metadataPrefix="redif")
    redif = root.find(".//r:redif", NS)
    exported = client.get("/cite/RePEc:ipt:iptwpa:jrc108028.rdf").content.decode()
    assert redif.text == exported
    assert "Handle: RePEc:ipt:iptwpa:jrc108028" in redif.text


def test_a_withdrawn_item_is_a_deleted_record(client, catalogue):
    root = oai(client, verb="GetRecord", identifier="oai:econcat:RePEc:ipt:iptwpa:jrc2", metadataPrefix="oai_dc")
    assert root.find(".//o:header", NS).get("status") == "deleted"
    assert root.find(".//o:metadata", NS) is None
    listed = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="ipt")
    assert [h.get("status") for h in listed.iterfind(".//o:header", NS)] == [None, None, "deleted"]


def test_sets_filter_the_lists(client, catalogue):
    series = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="ipt:iptwpa")
    assert len(series.findall(".//o:header", NS)) == 3
    archive = oai(client, verb="ListRecords", metadataPrefix="oai_dc", set="abc")
    assert texts(archive, ".//o:header/o:identifier") == ["oai:econcat:RePEc:abc:abcwps:a1"]


def test_from_and_until_take_in_the_whole_second_or_day(client, catalogue):
    when = dt.datetime(2026, 3, 4, 5, 6, 7, 500000, tzinfo=dt.UTC)
    Item.objects.filter(handle="RePEc:abc:abcwps:a1").update(updated_at=when)
    for arguments in (
        {"from": "2026-03-04T05:06:07Z", "until": "2026-03-04T05:06:07Z"},
        {"from": "2026-03-04", "until": "2026-03-04"},
        {"until": "2026-03-04T05:06:07Z"},
    ):
        root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **arguments)
        assert texts(root, ".//o:identifier") == ["oai:econcat:RePEc:abc:abcwps:a1"]
        assert texts(root, ".//o:datestamp") == ["2026-03-04T05:06:07Z"]
    later = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2026-03-04T05:06:08Z"})
    assert len(later.findall(".//o:header", NS)) == 3


def test_a_correction_or_a_withdrawal_moves_the_datestamp(client, catalogue):
    Item.objects.update(updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    item = Item.objects.get(handle="RePEc:ipt:iptwpa:jrc1")
    item.title = "Corrected"
    item.withdrawn_at = timezone.now()
    item.save()
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2021-01-01"})
    assert texts(root, ".//o:identifier") == ["oai:econcat:RePEc:ipt:iptwpa:jrc1"]
    assert root.find(".//o:header", NS).get("status") == "deleted"


BAD_ARGUMENTS = [
    ({"verb": "ListRecords"}, "badArgument"),  # no metadataPrefix
    ({"verb": "Identify", "set": "ipt"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "colour": "red"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-13-01"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-01-01T00:00:00"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-02-01", "until": "2026-01-01"}, "badArgument"),
    (
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-01-01", "until": "2026-02-01T00:00:00Z"},
        "badArgument",
    ),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "no/such"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"}, "badArgument"),
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
    ({}, "badVerb"),
    ({"verb": "ListEverything"}, "badVerb"),
]


@pytest.mark.parametrize(("arguments", "code"), BAD_ARGUMENTS)
def test_bad_requests_echo_no_arguments(client, catalogue, arguments, code):
    root = oai(client, **arguments)
    assert error_codes(root) == [code]
    assert root.find("o:request", NS).attrib == {}


def test_repeated_verb_or_argument(client, catalogue):
    verb = check(b"".join(client.get("/oai?verb=Identify&verb=Identify").streaming_content))
    assert error_codes(verb) == ["badVerb"]
    argument = check(b"".join(client.get("/oai?verb=ListSets&resumptionToken=a&resumptionToken=b").streaming_content))
    assert error_codes(argument) == ["badArgument"]


OTHER_ERRORS = [
    ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
    ({"verb": "ListIdentifiers", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
    (
        {"verb": "GetRecord", "metadataPrefix": "mods", "identifier": "oai:econcat:RePEc:abc:abcwps:a1"},
        "cannotDisseminateFormat",
    ),
    (
        {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:econcat:RePEc:abc:abcwps:zz"},
        "idDoesNotExist",
    ),
    (
        {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:other:RePEc:abc:abcwps:a1"},
        "idDoesNotExist",
    ),
    ({"verb": "ListMetadataFormats", "identifier": "RePEc:abc:abcwps:a1"}, "idDoesNotExist"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "zzz"}, "noRecordsMatch"),
    ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": "2999-01-01"}, "noRecordsMatch"),
    ({"verb": "ListRecords", "resumptionToken": "forged"}, "badResumptionToken"),
    ({"verb": "ListSets", "resumptionToken": "anything"}, "badResumptionToken"),
]


@pytest.mark.parametrize(("arguments", "code"), OTHER_ERRORS)
def test_other_errors_echo_the_request(client, catalogue, arguments, code):
    root = oai(client, **arguments)
    assert error_codes(root) == [code]
    assert root.find("o:request", NS).attrib == arguments


def pages(client, settings, verb, **arguments):
    """Every page of a list, following its tokens."""
    roots = [oai(client, verb=verb, **arguments)]
    while token := roots[-1].findtext(f".//o:{verb}/o:resumptionToken", namespaces=NS):
        roots.append(oai(client, verb=verb, resumptionToken=token))
    return roots


def test_resumption_tokens_page_by_keyset(client, catalogue, settings):
    settings.OAI_PAGE_SIZE = 2
    roots = pages(client, settings, "ListRecords", metadataPrefix="oai_dc")
    assert [len(r.findall(".//o:record", NS)) for r in roots] == [2, 2]
    first = roots[0].find(".//o:resumptionToken", NS)
    assert (first.get("completeListSize"), first.get("cursor")) == ("4", "0")
    last = roots[1].find(".//o:resumptionToken", NS)
    assert (last.get("completeListSize"), last.get("cursor"), last.text) == ("4", "2", None)
    identifiers = [i for r in roots for i in texts(r, ".//o:header/o:identifier")]
    assert len(set(identifiers)) == 4


def test_a_tampered_expired_or_other_verbs_token_is_refused(client, catalogue, settings):
    settings.OAI_PAGE_SIZE = 1
    token = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc").findtext(".//o:resumptionToken", namespaces=NS)
    data = signing.loads(token, salt=TOKEN_SALT)
    forged = signing.dumps({**data, "i": 0}, salt=TOKEN_SALT, key="another key", compress=True)
    for bad in (token[:-2] + "xx", forged):
        assert error_codes(oai(client, verb="ListIdentifiers", resumptionToken=bad)) == ["badResumptionToken"]
    assert error_codes(oai(client, verb="ListRecords", resumptionToken=token)) == ["badResumptionToken"]
    settings.OAI_TOKEN_SECONDS = -1
    assert error_codes(oai(client, verb="ListIdentifiers", resumptionToken=token)) == ["badResumptionToken"]


def test_post_needs_no_csrf_token(catalogue):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/oai", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "abc"})
    root = check(b"".join(response.streaming_content))
    assert texts(root, ".//o:identifier") == ["oai:econcat:RePEc:abc:abcwps:a1"]
    assert client.put("/oai").status_code == 405


def test_characters_xml_cannot_hold_are_dropped(client, catalogue):
    Item.objects.filter(handle="RePEc:abc:abcwps:a1").update(title="Bell\x07 and form\x0cfeed")
    root = oai(client, verb="GetRecord", identifier="oai:econcat:RePEc:abc:abcwps:a1", metadataPrefix="oai_dc")
    assert texts(root, ".//dc:title") == ["Bell and formfeed"]


def make_items(count, series):
    from tests.factories import AuthorshipFactory, FileFactory, ItemFactory, ItemKeywordFactory

    for n in range(count):
        item = ItemFactory(series=series, slug=f"q{n}", handle=f"RePEc:ipt:iptwpa:q{n}")
        for position in range(3):
            AuthorshipFactory(item=item, position=position)
            ItemKeywordFactory(item=item, position=position)
        FileFactory(item=item, position=1)


@pytest.mark.parametrize("verb", ["ListRecords", "ListIdentifiers"])
def test_a_page_of_100_costs_a_constant_number_of_queries(
    client, catalogue, settings, verb, django_assert_max_num_queries
):
    make_items(110, catalogue.series)
    # first page: the page (1 query for headers; 5 for records: items with series and archive,
    # authorships with persons, keywords, JEL codes, files) + the count for completeListSize
    with django_assert_max_num_queries(6 if verb == "ListRecords" else 2):
        first = oai(client, verb=verb, metadataPrefix="oai_dc")
    assert len(first.findall(f".//o:{verb}/*", NS)) == 101
    token = first.findtext(".//o:resumptionToken", namespaces=NS)
    # a later page: the page only (its count rides in the token)
    with django_assert_max_num_queries(5 if verb == "ListRecords" else 1):
        oai(client, verb=verb, resumptionToken=token)


def test_an_import_moves_the_datestamp(client, data_dir):
    Importer().import_paths([data_dir / "import" / "jrc.rdf"])
    Item.objects.update(updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert error_codes(oai(client, verb="ListIdentifiers", metadataPrefix="redif", **{"from": "2021-01-01"})) == [
        "noRecordsMatch"
    ]
    text = (data_dir / "import" / "jrc.rdf").read_text().replace("Implementing smart", "Implementing clever")
    importer = Importer()
    importer.import_templates(parse_text(text, "jrc.rdf"))
    importer.finish()
    root = oai(client, verb="ListRecords", metadataPrefix="redif", **{"from": "2021-01-01"})
    assert len(root.findall(".//o:record", NS)) == 1
    assert "Implementing clever" in root.findtext(".//r:redif", namespaces=NS)
