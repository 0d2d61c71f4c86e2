"""One-click unsubscribe links (RFC 8058): signed, so that they work without logging in and
nobody can make one for someone else's alerts.

A token names the reader and what it stops: subscriptions by id (a digest's, or one of its
sections'), or the monthly author report. An altered or forged token fails its signature and
changes nothing; one whose subscriptions are gone (or were never the reader's) stops nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "catalogue.alerts.unsubscribe"


@dataclass(frozen=True)
class Stop:
    user: int
    subscriptions: tuple[int, ...] = ()
    report: bool = False


def token(stop: Stop) -> str:
    payload: dict = {"u": stop.user}
    if stop.subscriptions:
        payload["s"] = list(stop.subscriptions)
    if stop.report:
        payload["r"] = 1
    return signing.dumps(payload, salt=SALT, compress=True)


def read(text: str) -> Stop | None:
    """What a token stops; None for one that is altered, forged or malformed."""
    try:
        payload = signing.loads(text, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        return None
    ids = payload.get("s", [])
    if not isinstance(ids, list) or not all(isinstance(pk, int) for pk in ids):
        return None
    return Stop(payload["u"], tuple(ids), payload.get("r") == 1)


def url(stop: Stop) -> str:
    """The link's absolute address (for the List-Unsubscribe header and the message's footer)."""
    return settings.SITE_URL + reverse("unsubscribe", kwargs={"token": token(stop)})
