"""The protocol's arguments, dates, errors and resumption tokens, without a database.

Dates have the granularity YYYY-MM-DDThh:mm:ssZ (a day is accepted too); `until` takes in the
whole second (or day) it names, since a datestamp shows its time to the second. A resumption
token is the query itself (verb, format, set, from, until) with the last record's datestamp
and id, signed with Django's signing so that it cannot be forged, and refused after
OAI_TOKEN_SECONDS.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

UTC = dt.UTC
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
TOKEN_SALT = "catalogue.oai.token"  # noqa: S105 (a salt names a use of the secret key; it is no secret)

#: verb -> (required arguments, optional arguments); a resumptionToken is exclusive of the others
VERBS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "Identify": (frozenset(), frozenset()),
    "ListMetadataFormats": (frozenset(), frozenset({"identifier"})),
    "ListSets": (frozenset(), frozenset({"resumptionToken"})),
    "ListIdentifiers": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set", "resumptionToken"})),
    "ListRecords": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set", "resumptionToken"})),
    "GetRecord": (frozenset({"identifier", "metadataPrefix"}), frozenset()),
}

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_SET = re.compile(r"[a-z0-9]+(:[a-z0-9]+)?")


class OaiError(Exception):
    """An error of the protocol: its code and a message for the harvester's author."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Query:
    """What a list request asks for, and where its previous page ended."""

    verb: str
    prefix: str
    set_spec: str = ""
    start: dt.datetime | None = None  # datestamp >= start
    end: dt.datetime | None = None  # datestamp < end
    after: tuple[dt.datetime, int] | None = None  # (datestamp, id) of the last record sent
    total: int | None = None  # completeListSize, counted on the first page
    cursor: int = 0  # records sent before this page


def datestamp(value: dt.datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def read_arguments(pairs: list[tuple[str, list[str]]]) -> tuple[str, dict[str, str]]:
    """(verb, arguments) of a request, from its (name, values) pairs; badVerb for a missing,
    repeated or unknown verb, badArgument for a repeated, unknown, missing or exclusive argument."""
    values = dict(pairs)
    verbs = values.pop("verb", [])
    if len(verbs) != 1 or verbs[0] not in VERBS:
        said = "no verb" if not verbs else "the verb more than once" if len(verbs) > 1 else f"verb {verbs[0]!r}"
        raise OaiError("badVerb", f"The request gives {said}; the verbs are {', '.join(VERBS)}.")
    verb = verbs[0]
    required, optional = VERBS[verb]
    repeated = sorted(name for name, given in values.items() if len(given) > 1)
    if repeated:
        raise OaiError("badArgument", f"Each argument may be given once: {', '.join(repeated)} repeated.")
    arguments = {name: given[0] for name, given in values.items()}
    unknown = sorted(set(arguments) - required - optional)
    if unknown:
        raise OaiError("badArgument", f"{verb} does not take {', '.join(unknown)}.")
    if "resumptionToken" in arguments:
        if len(arguments) > 1:
            raise OaiError("badArgument", "A resumptionToken is exclusive: give no other argument with it.")
    elif required - set(arguments):
        raise OaiError("badArgument", f"{verb} needs {', '.join(sorted(required - set(arguments)))}.")
    return verb, arguments


def parse_date(name: str, value: str) -> tuple[dt.datetime, dt.timedelta]:
    """A `from` or `until` date and its granularity (one day or one second); badArgument when it
    has neither form or names no real date."""
    if _DAY.fullmatch(value):
        form, step = "%Y-%m-%d", dt.timedelta(days=1)
    elif _SECOND.fullmatch(value):
        form, step = "%Y-%m-%dT%H:%M:%SZ", dt.timedelta(seconds=1)
    else:
        raise OaiError("badArgument", f"{name}={value!r} is not a date of the form YYYY-MM-DD or {GRANULARITY}.")
    try:
        return dt.datetime.strptime(value, form).replace(tzinfo=UTC), step
    except ValueError:
        raise OaiError("badArgument", f"{name}={value!r} is no real date.") from None


def date_range(arguments: dict[str, str]) -> tuple[dt.datetime | None, dt.datetime | None]:
    """(start, end) of `from` and `until`: start included, end excluded (the whole second or day
    that `until` names); badArgument for mixed granularities or from after until."""
    start = parse_date("from", arguments["from"]) if "from" in arguments else None
    until = parse_date("until", arguments["until"]) if "until" in arguments else None
    if start and until:
        if start[1] != until[1]:
            raise OaiError("badArgument", "from and until must have the same granularity.")
        if start[0] > until[0]:
            raise OaiError("badArgument", "from is later than until.")
    return (start[0] if start else None), (until[0] + until[1] if until else None)


def check_set(value: str) -> str:
    """A setSpec: an archive code, or an archive and a series code with a colon (`ipt:iptwpa`)."""
    spec = value.lower()
    if not _SET.fullmatch(spec):
        raise OaiError("badArgument", f"set={value!r} is not a setSpec such as ipt or ipt:iptwpa.")
    return spec


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _when(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def make_token(query: Query) -> str:
    """The signed resumption token of the page after `query.after`."""
    if query.after is None:
        raise ValueError("a resumptionToken follows a page that sent records")
    data = {
        "v": query.verb,
        "m": query.prefix,
        "s": query.set_spec,
        "f": _iso(query.start),
        "u": _iso(query.end),
        "d": query.after[0].isoformat(),
        "i": query.after[1],
        "n": query.total,
        "c": query.cursor,
    }
    return signing.dumps(data, salt=TOKEN_SALT, compress=True)


def read_token(verb: str, token: str) -> Query:
    """The query a token carries; badResumptionToken when it is forged, expired, or of another verb."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=settings.OAI_TOKEN_SECONDS)
        if data["v"] != verb:
            raise ValueError(data["v"])
        return Query(
            verb=verb,
            prefix=data["m"],
            set_spec=data["s"],
            start=_when(data["f"]),
            end=_when(data["u"]),
            after=(dt.datetime.fromisoformat(data["d"]), int(data["i"])),
            total=int(data["n"]),
            cursor=int(data["c"]),
        )
    except signing.SignatureExpired:
        raise OaiError("badResumptionToken", "This resumptionToken has expired; start the list again.") from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise OaiError("badResumptionToken", "This resumptionToken is not one this repository gave.") from None


def token_expiry(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(seconds=settings.OAI_TOKEN_SECONDS)
