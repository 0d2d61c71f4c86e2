"""Sending what was decided: Mailings waiting (or failed and due again) go to Django's e-mail
backend in batches, over one connection a batch (DECISIONS.md, D29).

Each batch is marked `sending` (committed) before the first message goes out, and each message
`sent`, `failed` or `bounced` after the mail server's answer. So a message is handed over at
most once: a run that dies between the two leaves its batch `sending`, and the next run gives
those up (recorded, never sent again) rather than risk sending them twice.

The server's answer decides:
- accepted: sent;
- a permanent refusal of the recipient (5xx to RCPT TO): a hard bounce. The address is recorded
  (MailBounce), nothing more is decided for it, and /me/alerts/ says so to its owner;
- a temporary refusal (4xx), a timeout, a closed connection: failed, tried again after a
  backoff (RETRY_AFTER, doubling) up to MAX_ATTEMPTS; the batch's other messages wait for the
  next run when the connection itself failed;
- a permanent refusal of the message (5xx to DATA): given up, recorded.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from ..models import MailBounce, Mailing
from .compose import Composed, compose_digests, message
from .report import compose_reports

logger = logging.getLogger(__name__)

Status = Mailing.Status
BATCH = 200
MAX_ATTEMPTS = 5
RETRY_AFTER = datetime.timedelta(minutes=5)
LOST = (
    "the run sending it stopped before the mail server's answer was recorded: not sent again, so as never to send twice"
)

#: Who composes each kind of message: a batch of Mailings -> their messages by id.
COMPOSERS: dict[str, Callable[[list[Mailing]], dict[int, Composed]]] = {
    Mailing.Kind.DIGEST: compose_digests,
    Mailing.Kind.REPORT: compose_reports,
}


class MailServerDown(Exception):
    """The mail server could not be reached or dropped the connection: the run is retried."""


@dataclass
class Sent:
    sent: int = 0
    failed: int = 0
    bounced: int = 0
    gave_up: int = 0
    batches: int = 0
    server_down: str = ""

    def __str__(self) -> str:
        return (
            f"{self.sent} sent, {self.failed} to try again, {self.bounced} bounced, {self.gave_up} given up "
            f"in {self.batches} batches"
        )


def to_send(now: datetime.datetime):
    return Mailing.objects.filter(
        Q(status=Status.PENDING) | Q(status=Status.FAILED, next_attempt_at__lte=now)
    ).order_by("id")


def send_due(now: datetime.datetime | None = None, batch_size: int = BATCH) -> Sent:
    """Send every Mailing waiting, batch by batch; see the module. Raises MailServerDown (after
    recording it) when the server could not be reached, so that the task tries again."""
    now = now or timezone.now()
    outcome = Sent()
    lost = Mailing.objects.filter(status=Status.SENDING).update(status=Status.GAVE_UP, error=LOST)
    if lost:
        logger.error("%d messages were being sent when a run stopped; given up, not sent twice", lost)
        outcome.gave_up += lost
    last = 0
    while not outcome.server_down:
        batch = list(to_send(now).filter(pk__gt=last).select_related("user")[:batch_size])
        if not batch:
            break
        last = batch[-1].pk
        send_batch(batch, now, outcome)
        outcome.batches += 1
    if outcome.server_down:
        raise MailServerDown(f"{outcome}; the mail server: {outcome.server_down}")
    return outcome


def send_batch(batch: list[Mailing], now: datetime.datetime, outcome: Sent) -> None:
    """One batch: marked sending, composed, handed over one message at a time, then recorded."""
    ids = [mailing.pk for mailing in batch]
    with transaction.atomic():
        Mailing.objects.filter(pk__in=ids).update(status=Status.SENDING, attempts=F("attempts") + 1)
    for mailing in batch:
        mailing.attempts += 1
    emails = {m.user.email.lower() for m in batch if m.user.email}
    bounced = set(MailBounce.objects.filter(email__in=emails).values_list("email", flat=True))
    composed: dict[int, Composed] = {}
    for kind, compose in COMPOSERS.items():
        mine = [m for m in batch if m.kind == kind]
        if mine:
            composed.update(compose(mine))
    sent: list[int] = []
    failed: dict[int, str] = {}
    given_up: dict[int, str] = {}
    bounces: dict[int, tuple[str, int, str]] = {}
    connection = get_connection(fail_silently=False)
    try:
        # opened here, the batch's messages share it (send_messages opens and closes one of its own
        # otherwise: a connection, and perhaps a TLS handshake, a message). When it cannot be
        # opened, the first message's hand_over tries again and gives the server's answer.
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.open()
        for n, mailing in enumerate(batch):
            address = mailing.user.email
            if mailing.pk not in composed:
                given_up[mailing.pk] = "nothing left to send: what it told of was deleted, or its reader turned it off"
                continue
            if not address or not mailing.user.is_active or address.lower() in bounced:
                given_up[mailing.pk] = "the reader's address bounced, or they have none, or left"
                continue
            answer, code, text = hand_over(connection, message(mailing, address, composed[mailing.pk], connection))
            if answer == "sent":
                sent.append(mailing.pk)
            elif answer == "bounced":
                bounces[mailing.pk] = (address.lower(), code, text)
            elif answer == "refused":
                given_up[mailing.pk] = text
            elif answer == "later":
                failed[mailing.pk] = text
            else:  # the server is gone: this one and the rest of the batch wait for the next run
                outcome.server_down = text
                failed.update((waiting.pk, text) for waiting in batch[n:])
                break
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.close()
    record(batch, now, sent, failed, given_up, bounces, outcome)


def hand_over(connection, email) -> tuple[str, int, str]:
    """(what the server's answer means, its code, its words): `sent`; `bounced` (5xx to the
    recipient); `refused` (5xx to the message); `later` (4xx); `down` (no answer at all)."""
    try:
        connection.send_messages([email])
    except smtplib.SMTPRecipientsRefused as error:
        code, reply = next(iter(error.recipients.values()), (0, b""))
        text = f"{code} {reply.decode(errors='replace') if isinstance(reply, bytes) else reply}"
        return ("bounced" if 500 <= code < 600 else "later"), code, text
    except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as error:
        said = error.smtp_error
        text = f"{error.smtp_code} {said.decode(errors='replace') if isinstance(said, bytes) else said}"
        return ("refused" if 500 <= error.smtp_code < 600 else "later"), error.smtp_code, text
    except (smtplib.SMTPException, OSError) as error:  # refused, reset, timed out, disconnected
        return "down", 0, f"{type(error).__name__}: {error}"
    return "sent", 250, ""


def record(batch, now, sent, failed, given_up, bounces, outcome: Sent) -> None:
    """The server's answers on record: a fixed number of queries, but one per failed message."""
    by_id = {mailing.pk: mailing for mailing in batch}
    with transaction.atomic():
        if sent:
            Mailing.objects.filter(pk__in=sent).update(status=Status.SENT, sent_at=timezone.now(), error="")
        if bounces:
            MailBounce.objects.bulk_create(
                [MailBounce(email=email, code=code, reply=text[:1000]) for email, code, text in bounces.values()],
                ignore_conflicts=True,
            )
            for pk, (_email, _code, text) in bounces.items():
                Mailing.objects.filter(pk=pk).update(status=Status.BOUNCED, error=text[:1000])
        for pk, text in given_up.items():
            Mailing.objects.filter(pk=pk).update(status=Status.GAVE_UP, error=text[:1000])
        for pk, text in failed.items():
            attempts = by_id[pk].attempts
            if attempts >= MAX_ATTEMPTS:
                Mailing.objects.filter(pk=pk).update(status=Status.GAVE_UP, error=text[:1000])
                outcome.gave_up += 1
                continue
            retry_at = now + RETRY_AFTER * 2 ** (attempts - 1)
            Mailing.objects.filter(pk=pk).update(status=Status.FAILED, next_attempt_at=retry_at, error=text[:1000])
    if bounces:
        logger.warning("%d addresses refused for good (hard bounces): no more mail to them", len(bounces))
    outcome.sent += len(sent)
    outcome.failed += len(failed) - sum(1 for pk in failed if by_id[pk].attempts >= MAX_ATTEMPTS)
    outcome.bounced += len(bounces)
    outcome.gave_up += len(given_up)
