"""Structural checks of OAI-PMH 2.0 responses with lxml: what the protocol's schema (OAI-PMH.xsd)
requires of each verb's answer, element by element and in order, written out since the schema
cannot be fetched here."""

from __future__ import annotations

import datetime as dt
import re

from lxml import etree

OAI = "http://www.openarchives.org/OAI/2.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
REDIF = "https://econcat.example/oai/redif"
NS = {"o": OAI, "oai_dc": OAI_DC, "dc": DC, "r": REDIF}
UTC_SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
ERRORS = {
    "badArgument",
    "badResumptionToken",
    "badVerb",
    "cannotDisseminateFormat",
    "idDoesNotExist",
    "noRecordsMatch",
    "noMetadataFormats",
    "noSetHierarchy",
}
DC_ELEMENTS = {
    "title", "creator", "subject", "description", "publisher", "contributor", "date", "type",
    "format", "identifier", "source", "language", "relation", "coverage", "rights",
}  # fmt: skip


def names(element) -> list[str]:
    return [etree.QName(child).localname for child in element if isinstance(child.tag, str)]


def _in_order(element, expected: list[str]) -> None:
    assert names(element) == expected, f"{etree.QName(element).localname}: {names(element)} != {expected}"


def check(content: bytes, base_url: str = "http://testserver/oai"):
    """The parsed root of a response that has the envelope the protocol requires; raises on any
    departure. Returns the root for the test's own checks."""
    assert content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = etree.fromstring(content)
    assert root.tag == f"{{{OAI}}}OAI-PMH"
    assert root.get(f"{{{XSI}}}schemaLocation") == f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
    children = [child for child in root if isinstance(child.tag, str)]
    assert all(etree.QName(child).namespace == OAI for child in children)
    assert names(root)[:2] == ["responseDate", "request"]
    stamp = children[0].text
    assert UTC_SECOND.fullmatch(stamp), stamp
    when = dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    assert abs(dt.datetime.now(dt.UTC) - when) < dt.timedelta(minutes=1)
    request = children[1]
    assert request.text == base_url
    rest = children[2:]
    assert rest, "neither an error nor the verb's element"
    if etree.QName(rest[0]).localname == "error":
        assert all(etree.QName(e).localname == "error" for e in rest)
        assert all(e.get("code") in ERRORS for e in rest)
        assert all(len(e) == 0 for e in rest)
        if {e.get("code") for e in rest} & {"badVerb", "badArgument"}:
            assert dict(request.attrib) == {}, "no request attributes on badVerb or badArgument"
        return root
    assert len(rest) == 1
    verb = etree.QName(rest[0]).localname
    assert request.get("verb") == verb
    VERB_CHECKS[verb](rest[0])
    return root


def _identify(element) -> None:
    listed = names(element)
    core = ["repositoryName", "baseURL", "protocolVersion", "adminEmail", "earliestDatestamp", "deletedRecord"]
    admins = listed.count("adminEmail")
    assert admins >= 1
    expected = core[:4] + ["adminEmail"] * (admins - 1) + core[4:] + ["granularity"]
    assert listed[: len(expected)] == expected
    assert set(listed[len(expected) :]) <= {"compression", "description"}
    assert element.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert element.findtext("o:deletedRecord", namespaces=NS) in {"no", "persistent", "transient"}
    assert element.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert UTC_SECOND.fullmatch(element.findtext("o:earliestDatestamp", namespaces=NS))


def _metadata_formats(element) -> None:
    assert names(element)
    for f in element:
        assert etree.QName(f).localname == "metadataFormat"
        _in_order(f, ["metadataPrefix", "schema", "metadataNamespace"])


def _sets(element) -> None:
    listed = names(element)
    assert set(listed) <= {"set", "resumptionToken"}
    for s in element.findall("o:set", NS):
        assert names(s)[:2] == ["setSpec", "setName"]
        assert re.fullmatch(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*", s.findtext("o:setSpec", namespaces=NS))


def header(element) -> None:
    listed = names(element)
    assert listed[:2] == ["identifier", "datestamp"]
    assert set(listed[2:]) <= {"setSpec"}
    assert element.get("status") in (None, "deleted")
    assert UTC_SECOND.fullmatch(element.findtext("o:datestamp", namespaces=NS))
    assert re.fullmatch(
        r"oai:[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)*:.+", element.findtext("o:identifier", namespaces=NS)
    )


def record(element) -> None:
    listed = names(element)
    head = element.find("o:header", NS)
    deleted = head.get("status") == "deleted"
    assert listed == (["header"] if deleted else ["header", "metadata"])
    header(head)
    if not deleted:
        metadata = element.find("o:metadata", NS)
        assert len(metadata) == 1, "metadata holds one element"
        content = metadata[0]
        assert etree.QName(content).namespace != OAI
        if content.tag == f"{{{OAI_DC}}}dc":
            assert content.get(f"{{{XSI}}}schemaLocation") == f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
            for dc in content:
                assert etree.QName(dc).namespace == DC
                assert etree.QName(dc).localname in DC_ELEMENTS


def _token(element) -> None:
    token = element.find("o:resumptionToken", NS)
    if token is None:
        return
    assert element[-1] is token, "the resumptionToken comes last"
    assert int(token.get("completeListSize")) >= 0
    assert int(token.get("cursor")) >= 0
    if token.text:
        assert UTC_SECOND.fullmatch(token.get("expirationDate"))


def _identifiers(element) -> None:
    listed = names(element)
    assert listed
    assert set(listed) <= {"header", "resumptionToken"}
    for h in element.findall("o:header", NS):
        header(h)
    _token(element)


def _records(element) -> None:
    listed = names(element)
    assert listed
    assert set(listed) <= {"record", "resumptionToken"}
    for r in element.findall("o:record", NS):
        record(r)
    _token(element)


def _get_record(element) -> None:
    _in_order(element, ["record"])
    record(element[0])


VERB_CHECKS = {
    "Identify": _identify,
    "ListMetadataFormats": _metadata_formats,
    "ListSets": _sets,
    "ListIdentifiers": _identifiers,
    "ListRecords": _records,
    "GetRecord": _get_record,
}


def error_codes(root) -> list[str]:
    return [e.get("code") for e in root.findall("o:error", NS)]
