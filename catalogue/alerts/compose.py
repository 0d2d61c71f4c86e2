"""Turning decided digests into messages: HTML and plain text from templates over the same
context (templates/mail/), every link absolute, every message with its one-click unsubscribe.

`compose_digests` takes a batch of Mailings and reads what they list in a fixed number of
queries (the items with their series and authors), whatever the batch holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from ..models import Item, Mailing, Subscription
from .unsubscribe import Stop, url

FREQUENCY_WORDS = {
    Subscription.Frequency.IMMEDIATE: "New in your alerts",
    Subscription.Frequency.WEEKLY: "Your weekly alerts",
    Subscription.Frequency.MONTHLY: "Your monthly alerts",
}


@dataclass
class Composed:
    """A message ready to hand over: subject, both bodies, and the unsubscribe address."""

    subject: str
    text: str
    html: str
    unsubscribe: str
    headers: dict[str, str] = field(default_factory=dict)


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def entry(item: Item) -> dict:
    authors = [a.name for a in item.authorships.all() if a.role == "author"] or [a.name for a in item.authorships.all()]
    byline = ", ".join(authors)
    if item.year:
        byline = f"{byline} ({item.year})" if byline else str(item.year)
    return {
        "title": item.title,
        "url": absolute(item.get_absolute_url()),
        "byline": f"{byline} · {item.series.name}" if byline else item.series.name,
    }


def subject(mailing: Mailing) -> str:
    sections = mailing.content["sections"]
    count = sum(len(s["items"]) + s.get("more", 0) for s in sections)
    if len(sections) == 1:
        return f"[{settings.SITE_NAME}] {sections[0]['title']}: {count} new item{'s' if count != 1 else ''}"
    words = FREQUENCY_WORDS.get(Subscription.Frequency(mailing.frequency), "New in your alerts")
    return f"[{settings.SITE_NAME}] {words}: {count} new items in {len(sections)} lists"


def compose_digests(mailings: list[Mailing]) -> dict[int, Composed]:
    """The messages of a batch of digests, by Mailing id (3 queries: items, their series,
    their authors). Each item's entry is made once a batch: a NEP issue is in many digests."""
    wanted = {pk for mailing in mailings for section in mailing.content["sections"] for pk in section["items"]}
    items = Item.objects.for_listing().in_bulk(wanted)
    entries = {pk: entry(item) for pk, item in items.items()}
    composed = {}
    for mailing in mailings:
        sections = []
        for section in mailing.content["sections"]:
            stop = Stop(mailing.user_id, (section["subscription"],))
            sections.append(
                {
                    "title": section["title"],
                    "url": absolute(section["url"]),
                    "kind": section["kind"],
                    "entries": [entries[pk] for pk in section["items"] if pk in entries],
                    "more": section.get("more", 0),
                    "stop": url(stop),
                }
            )
        sections = [s for s in sections if s["entries"]]
        if not sections:  # everything it listed has since been deleted
            continue
        everything = Stop(mailing.user_id, tuple(s["subscription"] for s in mailing.content["sections"]))
        unsubscribe = url(everything)
        context: dict = {
            "SITE_NAME": settings.SITE_NAME,
            "site_url": settings.SITE_URL,
            "heading": FREQUENCY_WORDS.get(Subscription.Frequency(mailing.frequency), "New in your alerts"),
            "sections": sections,
            "manage": absolute(reverse("my_alerts")),
            "unsubscribe": unsubscribe,
        }
        composed[mailing.pk] = Composed(
            subject(mailing),
            render_to_string("mail/digest.txt", context),
            render_to_string("mail/digest.html", context),
            unsubscribe,
        )
    return composed


def message(mailing: Mailing, to: str, composed: Composed, connection) -> EmailMultiAlternatives:
    """The e-mail: text with an HTML alternative, the RFC 8058 one-click headers, a Message-ID
    that stays the same for one Mailing (a receiver can tell a repeat)."""
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
    headers = {
        "List-Unsubscribe": f"<{composed.unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
        "Message-ID": f"<mailing.{mailing.pk}@{host}>",
        **composed.headers,
    }
    email = EmailMultiAlternatives(
        composed.subject,
        composed.text,
        settings.ALERTS_FROM_EMAIL,
        [to],
        headers=headers,
        connection=connection,
    )
    email.attach_alternative(composed.html, "text/html")
    return email
