"""A reader's alerts (issue 19): subscriptions to NEP reports, follows of registered authors,
series and JEL codes, and saved searches, each with how often to hear of what is new.

Every function takes the reader, so no caller can reach another reader's rows. Bad input raises
AlertError, whose message names the field and what is wrong with it.
"""

from __future__ import annotations

from itertools import groupby
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.http import QueryDict
from django.urls import reverse

from ..models import JelCode, MailBounce, Mailing, NepReport, Person, SearchEntry, Series, Subscription
from ..search.filters import SearchFilter

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import QuerySet

Kind = Subscription.Kind
Frequency = Subscription.Frequency

#: How many subscriptions one reader may keep.
MAX_SUBSCRIPTIONS = 50
#: The longest saved search, as a normalised query string.
MAX_SEARCH = Subscription._meta.get_field("search").max_length or 2000
#: Query-string names a saved search leaves out: which page and order one looked at.
NOT_SAVED = ("page", "sort")


class AlertError(ValueError):
    """A subscription that cannot be made or changed; the message names the field."""


def frequencies(kind: str) -> list[tuple[str, str]]:
    """The frequencies a kind offers: "as it happens" is for NEP issues only (an editor sends
    one issue at a time); the rest gather new items by the week or the month."""
    if kind == Kind.NEP:
        return list(Frequency.choices)
    return [(value, label) for value, label in Frequency.choices if value != Frequency.IMMEDIATE]


def default_frequency(kind: str) -> str:
    return Frequency.IMMEDIATE if kind == Kind.NEP else Frequency.WEEKLY


def normalise_search(query_string: str) -> str:
    """A search's query string as saved: the filters in use, sorted, without page or sort, once
    it reads as the search page reads it. AlertError when it does not, or searches for nothing."""
    params = QueryDict(query_string.lstrip("?"), mutable=True)
    for name in NOT_SAVED:
        params.pop(name, None)
    pairs = sorted((name, value.strip()) for name in params for value in params.getlist(name) if value.strip())
    if not pairs:
        raise AlertError("search: type some words or choose a filter before saving a search.")
    unknown = sorted({name for name, _ in pairs} - set(SearchFilter.base_filters))
    if unknown:
        raise AlertError(f"search: the search page has no filter named {unknown[0]!r}.")
    normal = QueryDict(mutable=True)
    for name, value in pairs:
        normal.appendlist(name, value)
    checked = SearchFilter(normal, queryset=SearchEntry.objects.none())
    if not checked.is_valid():
        name, problems = next(iter(checked.errors.items()))
        raise AlertError(f"search: {SearchFilter.base_filters[name].label}: {' '.join(problems)}")
    text = normal.urlencode()
    if len(text) > MAX_SEARCH:
        raise AlertError(f"search: a saved search is at most {MAX_SEARCH} characters long.")
    return text


def target(kind: str, code: str) -> dict:
    """The field and row a kind's code names (`nep-ino`, a short-id, `ipt:iptwpa`, `O31`, or a
    search's query string), as keyword arguments for a Subscription. AlertError when it names none."""
    code = code.strip()
    if kind == Kind.SEARCH:
        return {"search": normalise_search(code)}
    if not code:
        raise AlertError("target: say what to follow.")
    found: Model | None
    if kind == Kind.NEP:
        found = NepReport.objects.filter(code=code.lower()).first()
        what = f"no NEP report has the code {code!r}"
    elif kind == Kind.AUTHOR:
        found = Person.objects.filter(short_id=code.lower()).first()
        what = f"no registered author has the short-id {code!r}"
    elif kind == Kind.SERIES:
        archive, _, series = code.partition(":")
        found = Series.objects.by_codes(archive, series).select_related("archive").first() if series else None
        what = f"no series is {code!r} (write archive:series, as ipt:iptwpa)"
    elif kind == Kind.JEL:
        found = JelCode.objects.filter(code=code.upper()).first()
        what = f"no JEL code is {code!r}"
    else:
        raise AlertError(f"kind: {kind!r} is not one of {', '.join(Kind.values)}.")
    if found is None:
        raise AlertError(f"target: {what}.")
    return {Subscription.TARGET_FIELDS[Kind(kind)]: found}


def check_frequency(kind: str, frequency: str) -> str:
    if frequency not in dict(frequencies(kind)):
        offered = ", ".join(value for value, _ in frequencies(kind))
        raise AlertError(f"frequency: {frequency!r} is not one of {offered} for {Kind(kind).label.lower()}.")
    return frequency


def subscribe(user: User, kind: str, code: str, frequency: str = "") -> tuple[Subscription, bool]:
    """Subscribe the reader to what `code` names (see `target`); (subscription, created). A
    second subscription to the same target changes its frequency instead, when one is given.
    AlertError for an unknown target, a bad frequency or a reader at MAX_SUBSCRIPTIONS."""
    if kind not in Kind.values:
        raise AlertError(f"kind: {kind!r} is not one of {', '.join(Kind.values)}.")
    fields = target(kind, code)
    chosen = check_frequency(kind, frequency) if frequency else ""
    mine = Subscription.objects.filter(user=user)
    with transaction.atomic():
        existing = mine.filter(kind=kind, **fields).select_for_update().first()
        if existing is not None:
            if chosen and existing.frequency != chosen:
                existing.frequency = chosen
                existing.save(update_fields=["frequency"])
            return existing, False
        if mine.count() >= MAX_SUBSCRIPTIONS:
            raise AlertError(f"You have {MAX_SUBSCRIPTIONS} alerts, the most one reader may keep: remove some first.")
        try:
            with transaction.atomic():
                made = Subscription.objects.create(
                    user=user, kind=kind, frequency=chosen or default_frequency(kind), **fields
                )
        except IntegrityError:  # the same subscribe, twice at once: the other request made it
            return mine.get(kind=kind, **fields), False
    return made, True


def subscription_or_none(user: User, pk: int) -> Subscription | None:
    """The reader's own subscription with this id; None for anyone else's, as for none at all."""
    return Subscription.objects.filter(user=user, pk=pk).first()


def set_frequency(subscription: Subscription, frequency: str) -> None:
    subscription.frequency = check_frequency(subscription.kind, frequency)
    subscription.save(update_fields=["frequency"])


def subscriptions(user: User) -> QuerySet[Subscription]:
    """The reader's subscriptions with what their list shows, by kind, oldest first: one query."""
    return (
        Subscription.objects.filter(user=user)
        .select_related("nep_report", "person", "series__archive", "jel")
        .order_by("kind", "created_at", "pk")
    )


def grouped(user: User) -> list[tuple[str, list[Subscription]]]:
    """(the kind's label, its subscriptions) for each kind the reader has, in the order of Kind."""
    order = {kind: n for n, kind in enumerate(Kind.values)}
    rows = sorted(subscriptions(user), key=lambda s: order[s.kind])
    return [(Kind(kind).label, list(subs)) for kind, subs in groupby(rows, key=lambda s: s.kind)]


def describe(subscription: Subscription) -> tuple[str, str]:
    """(what it follows, in words; the address of its page) for the list at /me/alerts/."""
    kind = subscription.kind
    if kind == Kind.SEARCH:
        params = QueryDict(subscription.search)
        words = "; ".join(
            f"{SearchFilter.base_filters[name].label if name in SearchFilter.base_filters else name}: {value}"
            for name in params
            for value in params.getlist(name)
        )
        return words, f"{reverse('search')}?{subscription.search}"
    followed: Any = getattr(subscription, Subscription.TARGET_FIELDS[Kind(kind)])
    if kind == Kind.NEP:
        return f"{followed.code.upper()}: {followed.name}", followed.get_absolute_url()
    if kind == Kind.AUTHOR:
        return followed.name_full, followed.get_absolute_url()
    if kind == Kind.SERIES:
        return f"{followed.name} ({followed.archive.code}:{followed.code})", followed.get_absolute_url()
    return str(followed), followed.get_absolute_url()


def bounce(user: User) -> MailBounce | None:
    """The hard bounce on record for the reader's address: no mail goes to it while there is one."""
    return MailBounce.objects.filter(email=user.email.lower()).first() if user.email else None


def address_works(user: User) -> bool:
    """The reader says their address works again: mail to it resumes. False when none was on record."""
    return bool(user.email) and MailBounce.objects.filter(email=user.email.lower()).delete()[0] > 0


def recent_mail(user: User, count: int = 5) -> list[Mailing]:
    """The reader's latest messages, newest first, with what became of them."""
    return list(Mailing.objects.filter(user=user).order_by("-created_at", "-pk")[:count])


def report_person(user_id: int) -> Person | None:
    """The registered author the reader is, whose monthly report they may turn on or off."""
    return Person.objects.filter(user_id=user_id).first()


def set_report(user: User, wanted: bool) -> Person | None:
    person = report_person(user.pk)
    if person is not None and person.monthly_report != wanted:
        person.monthly_report = wanted
        person.save(update_fields=["monthly_report", "updated_at"])
    return person


def stopping(user_id: int, subscription_ids: tuple[int, ...], report: bool) -> tuple[list[Subscription], bool]:
    """What a signed unsubscribe link would stop now: the reader's own subscriptions among those
    named (another reader's are never found), and whether their monthly report is on to stop."""
    reporting = report and Person.objects.filter(user_id=user_id, monthly_report=True).exists()
    return subscriptions_by_id(user_id, subscription_ids), reporting


def stopped_in_words(subscriptions: list[Subscription], report: bool) -> list[str]:
    return [describe(sub)[0] for sub in subscriptions] + (["the monthly author report"] if report else [])


def unsubscribe(user_id: int, subscription_ids: tuple[int, ...], report: bool) -> list[str]:
    """Stop what a signed unsubscribe link names (see `stopping`); what was stopped, in words,
    nothing when it was stopped before."""
    mine, reporting = stopping(user_id, subscription_ids, report)
    Subscription.objects.filter(user_id=user_id, pk__in=[s.pk for s in mine]).delete()
    if reporting:
        Person.objects.filter(user_id=user_id).update(monthly_report=False)
    return stopped_in_words(mine, reporting)


def subscriptions_by_id(user_id: int, subscription_ids: tuple[int, ...]) -> list[Subscription]:
    """The reader's subscriptions among these ids (with what `describe` reads)."""
    if not subscription_ids:
        return []
    return list(
        Subscription.objects.filter(user_id=user_id, pk__in=subscription_ids).select_related(
            "nep_report", "person", "series__archive", "jel"
        )
    )
