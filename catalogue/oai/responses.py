"""One OAI-PMH request -> its response, as chunks of XML text.

Everything that can fail (arguments, tokens, the page's rows) is done before the first chunk,
so that an error is an OAI `<error>` and never a broken stream; what follows only formats rows
already read (ListSets reads the series in chunks as it writes). A page holds at most
OAI_PAGE_SIZE records: memory stays the same whatever the size of the catalogue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from django.conf import settings
from django.db.models import QuerySet

from ..handles import handle_key
from ..models import Item
from . import records
from .formats import FORMATS, XSI, MetadataFormat
from .protocol import (
    GRANULARITY,
    OaiError,
    Query,
    check_set,
    date_range,
    datestamp,
    make_token,
    read_arguments,
    read_token,
    token_expiry,
)
from .xml import attr, element, text

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"


@dataclass(frozen=True)
class Site:
    """Where the request came: the endpoint's address (baseURL) and the site's root for item pages."""

    base_url: str
    root: str
    now: dt.datetime


def handle(site: Site, pairs: list[tuple[str, list[str]]]) -> Iterator[str]:
    """The response to a request whose arguments are `pairs` (name, values), as chunks."""
    echo: dict[str, str] = {}
    try:
        verb, arguments = read_arguments(pairs)
        echo = {"verb": verb, **arguments}
        body = VERB_HANDLERS[verb](site, arguments)
    except OaiError as error:
        if error.code in ("badVerb", "badArgument"):
            echo = {}  # the protocol: the request's arguments are not echoed on these two
        body = iter([f"<error code={attr(error.code)}>{text(error.message)}</error>"])
    return _envelope(site, echo, body)


def _envelope(site: Site, echo: dict[str, str], body: Iterable[str]) -> Iterator[str]:
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<OAI-PMH xmlns="{OAI}" xmlns:xsi="{XSI}" xsi:schemaLocation="{OAI} {OAI_SCHEMA}">'
        f"<responseDate>{datestamp(site.now)}</responseDate>"
    )
    attributes = "".join(f" {name}={attr(value)}" for name, value in echo.items())
    yield f"<request{attributes}>{text(site.base_url)}</request>"
    yield from body
    yield "</OAI-PMH>\n"


# -- the verbs ---------------------------------------------------------------------------------


def identify(site: Site, arguments: dict[str, str]) -> Iterator[str]:
    earliest = records.earliest_datestamp() or site.now
    yield (
        "<Identify>"
        + element("repositoryName", settings.SITE_NAME)
        + element("baseURL", site.base_url)
        + "<protocolVersion>2.0</protocolVersion>"
        + element("adminEmail", settings.OAI_ADMIN_EMAIL)
        + f"<earliestDatestamp>{datestamp(earliest)}</earliestDatestamp>"
        + "<deletedRecord>persistent</deletedRecord>"
        + f"<granularity>{GRANULARITY}</granularity>"
        + "</Identify>"
    )


def list_metadata_formats(site: Site, arguments: dict[str, str]) -> Iterator[str]:
    if "identifier" in arguments:
        _item(arguments["identifier"], Item.objects.all())  # before the first chunk: an error is an <error>
    formats = (
        f"<metadataFormat><metadataPrefix>{f.prefix}</metadataPrefix><schema>{text(f.schema)}</schema>"
        f"<metadataNamespace>{text(f.namespace)}</metadataNamespace></metadataFormat>"
        for f in FORMATS.values()
    )
    return iter(["<ListMetadataFormats>", *formats, "</ListMetadataFormats>"])


def list_sets(site: Site, arguments: dict[str, str]) -> Iterator[str]:
    if "resumptionToken" in arguments:
        raise OaiError("badResumptionToken", "ListSets answers in one response; it gives no resumptionToken.")
    return _sets()


def _sets() -> Iterator[str]:
    yield "<ListSets>"
    for spec, name in records.all_sets():
        yield f"<set><setSpec>{text(spec)}</setSpec><setName>{text(name or spec)}</setName></set>"
    yield "</ListSets>"


def get_record(site: Site, arguments: dict[str, str]) -> Iterator[str]:
    metadata = _format(arguments["metadataPrefix"])
    items = Item.objects.for_export()
    item = _item(arguments["identifier"], items.with_version_links() if metadata.links else items)
    return iter(["<GetRecord>", _record(site, item, metadata.write), "</GetRecord>"])


def list_identifiers(site: Site, arguments: dict[str, str]) -> Iterator[str]:
    return _list(site, "ListIdentifiers", arguments)


def list_records(site: Site, arguments: dict[str, str]) -> Iterator[str]:
    return _list(site, "ListRecords", arguments)


VERB_HANDLERS: dict[str, Callable[[Site, dict[str, str]], Iterator[str]]] = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
    "GetRecord": get_record,
}


# -- lists -------------------------------------------------------------------------------------


def _query(verb: str, arguments: dict[str, str]) -> Query:
    if "resumptionToken" in arguments:
        return read_token(verb, arguments["resumptionToken"])
    prefix = arguments["metadataPrefix"]
    _format(prefix)
    start, end = date_range(arguments)
    return Query(verb, prefix, check_set(arguments.get("set", "")) if "set" in arguments else "", start, end)


def _list(site: Site, verb: str, arguments: dict[str, str]) -> Iterator[str]:
    """A page of headers or records after the token's keyset, with the token of the next."""
    query = _query(verb, arguments)
    with_metadata = verb == "ListRecords"
    items, more = records.page(query, with_metadata, links=with_metadata and FORMATS[query.prefix].links)
    if not items and query.after is None:
        raise OaiError("noRecordsMatch", "No record matches these arguments.")
    total = query.total
    if total is None:
        total = records.count(query) if more else len(items)
    write = FORMATS[query.prefix].write
    chunks = [f"<{verb}>"]
    for item in items:
        chunks.append(_record(site, item, write) if with_metadata else _header(item))
    if more:
        following = replace(
            query, after=(items[-1].updated_at, items[-1].pk), total=total, cursor=query.cursor + len(items)
        )
        expiry = datestamp(token_expiry(site.now))
        chunks.append(
            f'<resumptionToken completeListSize="{total}" cursor="{query.cursor}" expirationDate="{expiry}">'
            f"{text(make_token(following))}</resumptionToken>"
        )
    elif query.after is not None:
        chunks.append(f'<resumptionToken completeListSize="{total}" cursor="{query.cursor}"/>')
    chunks.append(f"</{verb}>")
    return iter(chunks)


# -- records -----------------------------------------------------------------------------------


def identifier(item: Item) -> str:
    return f"oai:{settings.OAI_REPOSITORY_ID}:{item.handle}"


def _item(oai_identifier: str, queryset: QuerySet[Item]) -> Item:
    prefix = f"oai:{settings.OAI_REPOSITORY_ID}:"
    item: Item | None = None
    if oai_identifier.startswith(prefix):
        item = queryset.filter(handle_key=handle_key(oai_identifier.removeprefix(prefix))).first()
    if item is None:
        raise OaiError("idDoesNotExist", f"{oai_identifier!r} is not the identifier of an item here.")
    return item


def _format(prefix: str) -> MetadataFormat:
    if prefix not in FORMATS:
        known = ", ".join(FORMATS)
        raise OaiError("cannotDisseminateFormat", f"metadataPrefix {prefix!r} is not one of {known}.")
    return FORMATS[prefix]


def _header(item: Item) -> str:
    status = ' status="deleted"' if item.withdrawn_at else ""
    specs = "".join(f"<setSpec>{text(spec)}</setSpec>" for spec in records.set_specs(item))
    return (
        f"<header{status}><identifier>{text(identifier(item))}</identifier>"
        f"<datestamp>{datestamp(item.updated_at)}</datestamp>{specs}</header>"
    )


def _record(site: Site, item: Item, write: Callable[[Item, str], str]) -> str:
    if item.withdrawn_at:
        return f"<record>{_header(item)}</record>"
    metadata = write(item, site.root + item.get_absolute_url())
    return f"<record>{_header(item)}<metadata>{metadata}</metadata></record>"
