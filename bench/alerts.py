"""The weekly alerts run at scale (issue 19): deciding and sending a week's digests, its time,
peak memory and queries per batch of readers, with every message received by an SMTP sink.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_gen_1m DEBUG=false SECRET_KEY=bench \\
        .venv/bin/python bench/alerts.py          # 100,000 readers, 75,000 subscriptions, 20,000 items

    .venv/bin/python bench/alerts.py --readers 2000 --subscriptions 1500 --items 500   # the self-check

PostgreSQL only. It sets up, on the catalogue of DATABASE_URL:
- readers: users `bench-r<n>` with addresses `r<n>@bench.invalid` (bulk_create, one unusable
  password computed once), a few of them with a hard bounce on record;
- subscriptions (Subscription.objects.bulk_create): mostly NEP reports (weekly, some "as it
  happens", a few monthly), then registered authors, series, JEL codes and saved searches
  drawn from a pool of a few hundred distinct searches (normalised by normalise_search), all
  created a week or more back and covered up to the week's start (some never, some two or three
  weeks back);
- a week of new items: --items items of the catalogue moved into the week (their created_at;
  the old values kept in the table bench_alerts_moved and put back at the end), and one NEP
  issue per report in the week announcing about 20 of them.

The week is the last whole week (Monday to Monday, settings.TIME_ZONE) that ends before
anything in the catalogue came in, so it holds only what the bench put there; `now` is a few
minutes after its end. Then, each in a fresh process so that its peak memory is the run's own:
- the probes: decide and send --probe-batches batches at each of --probe-sizes readers a
  batch (then put back as they were), to show that the queries a batch makes do not grow with
  the readers it holds;
- the run, as the task does it: digests.decide("weekly", now) then sending.send_due(now),
  every message to an aiosmtpd sink in a process of its own (not sharing the GIL), through
  Django's SMTP backend (EMAIL_HOST, EMAIL_PORT, no TLS).

Prints the set-up, the probes and the run's figures: each phase's time and where it went,
digests/s, queries per batch (min/median/max, counted with connection.execute_wrapper), peak
RSS; exits 1 when the sink did not receive exactly what was sent. Everything it made is removed
at the start of the next run and, unless --keep, at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import random
import resource
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, item_total, machine, setup_django

TARGET_SECONDS = 15 * 60
MARK = "@bench.invalid"
PREFIX = "bench-r"
MOVED = "bench_alerts_moved"  # item_id, created_at before the bench moved the item into the week
ISSUES = "bench_alerts_issues"  # the NEP issues the bench made
COVERED = "bench_alerts_covered"  # subscription id, covered_until as set up (the probes put it back)
ANNOUNCED = 20  # items an issue announces


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def cpu_seconds() -> float:
    """This process's CPU time (user and system): on a busy machine, what the wall time is not."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the SMTP sink (its own process) ---------------------------------------------------------


def serve_sink(port: int) -> None:
    """An aiosmtpd server on loopback that accepts everything and counts it; answers each line
    on stdin with its counts as JSON (after zeroing them, for `reset`), and stops at the end
    of stdin."""
    import logging

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import SMTP

    counts = {"messages": 0, "recipients": 0, "bytes": 0, "one_click": 0, "connections": 0}
    recipients: set[str] = set()

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            content = envelope.original_content or b""
            counts["messages"] += 1
            counts["recipients"] += len(envelope.rcpt_tos)
            counts["bytes"] += len(content)
            counts["one_click"] += b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in content
            recipients.update(address.lower() for address in envelope.rcpt_tos)
            return "250 Message accepted for delivery"

    class Counting(SMTP):
        def connection_made(self, transport):
            counts["connections"] += 1
            super().connection_made(transport)

    class Sink(Controller):
        def factory(self):
            return Counting(self.handler, **self.SMTP_kwargs)

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command at INFO
    controller = Sink(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() == "reset":
            counts.update(dict.fromkeys(counts, 0))
            recipients.clear()
        print(json.dumps({**counts, "distinct_recipients": len(recipients)}), flush=True)
    controller.stop()


class SinkProcess:
    def __init__(self) -> None:
        self.port = free_port()
        command = [sys.executable, __file__, "--serve-sink", str(self.port)]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        if self.process.stdout.readline().strip() != "ready":
            raise SystemExit("the SMTP sink did not start")

    def counts(self, command: str = "count") -> dict:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def stop(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=30)


# --- set-up and clean-up (the parent process) ------------------------------------------------


def sql(query: str, params=None) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(query, params)


def sql_rows(query: str, params=None) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def table_exists(name: str) -> bool:
    return bool(sql_rows("SELECT to_regclass(%s) IS NOT NULL", [name])[0][0])


def clean_up() -> dict:
    """Remove what an earlier run made: the readers (their subscriptions and mailings go with
    them), their bounces, the NEP issues, and the moved items' created_at put back."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from catalogue.models import MailBounce, NepIssue

    started = time.perf_counter()
    done = {"readers": 0, "issues": 0, "items": 0}
    with transaction.atomic():
        if table_exists(MOVED):
            done["items"] = sql_rows(f"SELECT count(*) FROM {MOVED}")[0][0]
            sql(f"UPDATE catalogue_item i SET created_at = m.created_at FROM {MOVED} m WHERE i.id = m.item_id")
            sql(f"DROP TABLE {MOVED}")
        if table_exists(ISSUES):
            ids = [row[0] for row in sql_rows(f"SELECT issue_id FROM {ISSUES}")]
            done["issues"] = NepIssue.objects.filter(pk__in=ids).delete()[1].get("catalogue.NepIssue", 0)
            sql(f"DROP TABLE {ISSUES}")
        sql(f"DROP TABLE IF EXISTS {COVERED}")
        MailBounce.objects.filter(email__endswith=MARK).delete()
    readers = get_user_model().objects.filter(username__startswith=PREFIX, email__endswith=MARK)
    ids = list(readers.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 10000):  # the collector holds a chunk's users at a time
        with transaction.atomic():
            get_user_model().objects.filter(pk__in=ids[start : start + 10000]).delete()
    done["readers"] = len(ids)
    done["seconds"] = time.perf_counter() - started
    return done


def the_week(explicit: str) -> tuple[datetime.datetime, datetime.datetime]:
    """(end of the week, now): the last weekly period that ends before anything in the
    catalogue came in (or the one ending at --week-ending), and a few minutes after its end."""
    from django.db.models import Min
    from django.utils import timezone

    from catalogue.alerts.digests import period_end
    from catalogue.models import Item, NepIssue

    if explicit:
        moment = datetime.datetime.fromisoformat(explicit)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
    else:
        firsts = [
            Item.objects.aggregate(first=Min("created_at"))["first"],
            NepIssue.objects.aggregate(first=Min("created_at"))["first"],
            timezone.now(),
        ]
        moment = min(first for first in firsts if first is not None)
    end = period_end("weekly", moment)
    return end, end + datetime.timedelta(minutes=5)


def move_items(rng: random.Random, count: int, end: datetime.datetime) -> list[int]:
    """Move `count` random items (not withdrawn) into the week ending at `end`; their ids."""
    from catalogue.models import Item

    bounds = sql_rows("SELECT min(id), max(id) FROM catalogue_item")[0]
    if bounds[0] is None:
        raise SystemExit("no items: generate a catalogue first (manage.py generate_catalogue)")
    chosen: list[int] = []
    span = range(bounds[0], bounds[1] + 1)
    wanted = min(count, Item.objects.filter(withdrawn_at=None).count())
    while len(chosen) < wanted:
        candidates = rng.sample(span, min(len(span), int((wanted - len(chosen)) * 1.3) + 50))
        found = sql_rows(
            "SELECT id FROM catalogue_item WHERE id = ANY(%s) AND withdrawn_at IS NULL AND NOT (id = ANY(%s))",
            [candidates, chosen],
        )
        fresh = sorted(row[0] for row in found)
        rng.shuffle(fresh)
        chosen.extend(fresh[: wanted - len(chosen)])
    chosen.sort()
    week = 7 * 86400
    moments = [end - datetime.timedelta(seconds=rng.randrange(week)) for _ in chosen]  # (end - 7 days, end]
    sql(f"CREATE TABLE {MOVED} (item_id bigint PRIMARY KEY, created_at timestamptz NOT NULL)")
    sql(f"INSERT INTO {MOVED} SELECT id, created_at FROM catalogue_item WHERE id = ANY(%s)", [chosen])
    sql(
        "UPDATE catalogue_item i SET created_at = v.moment FROM unnest(%s::bigint[], %s::timestamptz[]) "
        "AS v(id, moment) WHERE i.id = v.id",
        [chosen, moments],
    )
    return chosen


def make_issues(rng: random.Random, week_items: list[int], end: datetime.datetime) -> tuple[int, int]:
    """One issue per NEP report in the week, announcing ~ANNOUNCED of the week's items each."""
    from catalogue.models import NepAnnouncement, NepIssue, NepReport

    reports = list(NepReport.objects.order_by("pk").values_list("pk", flat=True))
    taken = set(NepIssue.objects.filter(report__in=reports).values_list("report_id", "date"))
    issues = []
    for report in reports:
        created = end - datetime.timedelta(seconds=rng.randrange(6 * 86400))
        day = created.date()
        while (report, day) in taken:  # an issue of that date exists: the day before
            day -= datetime.timedelta(days=1)
        issues.append(NepIssue(report_id=report, date=day, created_at=created))
    NepIssue.objects.bulk_create(issues)
    sql(f"CREATE TABLE {ISSUES} (issue_id bigint PRIMARY KEY)")
    sql(f"INSERT INTO {ISSUES} SELECT unnest(%s::bigint[])", [[issue.pk for issue in issues]])
    announcements = []
    for issue in issues:
        picked = rng.sample(week_items, min(len(week_items), rng.randint(ANNOUNCED - 8, ANNOUNCED + 8)))
        announcements.extend(NepAnnouncement(issue=issue, item_id=item, position=n) for n, item in enumerate(picked, 1))
    NepAnnouncement.objects.bulk_create(announcements, batch_size=5000)
    return len(issues), len(announcements)


def make_readers(count: int, end: datetime.datetime) -> dict[int, str]:
    """The readers' ids and addresses."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    User = get_user_model()
    unusable = make_password(None)  # once: no hashing per reader
    joined = end - datetime.timedelta(days=400)
    for start in range(0, count, 5000):
        User.objects.bulk_create(
            [
                User(username=f"{PREFIX}{n}", email=f"r{n}{MARK}", password=unusable, date_joined=joined)
                for n in range(start, min(count, start + 5000))
            ]
        )
    return dict(User.objects.filter(username__startswith=PREFIX, email__endswith=MARK).values_list("pk", "email"))


def search_pool(rng: random.Random, size: int) -> list[str]:
    """A few hundred distinct saved searches as readers make them: topics, surnames and places,
    some with a JEL code, a type or years; some filters alone. Normalised as saving does."""
    from catalogue.readers.alerts import AlertError, normalise_search
    from catalogue.synthetic import vocab

    surnames = sorted({name for name in vocab.LAST_NAMES if " " not in name})
    places = sorted({p for p in vocab.PLACES if " " not in p})
    jel = [code for code in vocab_jel() if len(code) <= 3]
    made: set[str] = set()
    pool: list[str] = []
    tries = 0
    while len(pool) < size and tries < size * 20:
        tries += 1
        pick = rng.random()
        if pick < 0.45:
            params = f"q={rng.choice(vocab.TOPICS)}"
        elif pick < 0.6:
            params = f"q={rng.choice(vocab.TOPICS)}&jel={rng.choice(jel)}"
        elif pick < 0.7:
            params = f"q={rng.choice(vocab.TOPICS)}&type={rng.choice('pa')}&year_from={rng.randrange(2015, 2026)}"
        elif pick < 0.82:
            params = f"q={rng.choice(surnames)}"
        elif pick < 0.92:
            params = f"q={rng.choice(places)} {rng.choice(vocab.TOPICS)}"
        else:
            params = f"jel={rng.choice(jel)}"
        try:
            normal = normalise_search(params)
        except AlertError:
            continue
        if normal not in made:
            made.add(normal)
            pool.append(normal)
    return pool


def vocab_jel() -> list[str]:
    from catalogue.models import JelCode

    return list(JelCode.objects.order_by("code").values_list("code", flat=True))


def zipf(n: int, s: float = 0.9) -> list[float]:
    return [1 / (rank**s) for rank in range(1, n + 1)]


class Targets:
    """What readers follow, drawn: popular NEP reports and searches more often (Zipf), the
    authors and series of the week's items half of the time (the prolific are followed more)."""

    def __init__(self, rng: random.Random, week_items: list[int], pool: list[str]):
        from catalogue.models import NepReport, Person, Series

        self.rng, self.pool = rng, pool
        self.reports = list(NepReport.objects.order_by("pk").values_list("pk", flat=True))
        rng.shuffle(self.reports)  # which reports are popular
        self.persons = list(Person.objects.order_by("pk").values_list("pk", flat=True))
        self.week_persons = [
            row[0]
            for row in sql_rows(
                "SELECT DISTINCT person_id FROM catalogue_authorship WHERE item_id = ANY(%s) "
                "AND person_id IS NOT NULL ORDER BY 1",
                [week_items],
            )
        ]
        self.series = list(Series.objects.order_by("pk").values_list("pk", flat=True))
        self.week_series = [
            row[0]
            for row in sql_rows("SELECT series_id FROM catalogue_item WHERE id = ANY(%s) ORDER BY id", [week_items])
        ]
        self.codes = vocab_jel()
        self.by_level = {n: [c for c in self.codes if len(c) == n] or self.codes for n in (1, 2, 3)}
        self.report_weights, self.pool_weights = zipf(len(self.reports)), zipf(len(pool))
        self.kinds = ["nep", "author", "series", "jel", "search"]  # Subscription.Kind
        self.kind_weights = [0.5, 0.15, 0.12, 0.1, 0.13]  # NEP, author, series, JEL, search
        if not self.persons:
            self.kind_weights[1] = 0
        if not pool:
            self.kind_weights[4] = 0

    def kind(self) -> str:
        return self.rng.choices(self.kinds, self.kind_weights)[0]

    def target(self, kind: str) -> dict:
        rng = self.rng
        if kind == "nep":
            return {"nep_report_id": rng.choices(self.reports, self.report_weights)[0]}
        if kind == "author":
            return {
                "person_id": rng.choice(self.week_persons if self.week_persons and rng.random() < 0.5 else self.persons)
            }
        if kind == "series":
            return {
                "series_id": rng.choice(self.week_series if self.week_series and rng.random() < 0.6 else self.series)
            }
        if kind == "jel":
            return {"jel_id": rng.choice(self.by_level[rng.choices([1, 2, 3], [0.3, 0.4, 0.3])[0]])}
        return {"search": rng.choices(self.pool, self.pool_weights)[0]}

    def frequency(self, kind: str) -> str:
        pick = self.rng.random()
        if kind == "nep":
            return "weekly" if pick < 0.75 else "immediate" if pick < 0.95 else "monthly"
        return "weekly" if pick < 0.85 else "monthly"

    def covered(self, end: datetime.datetime) -> datetime.datetime | None:
        pick = self.rng.random()
        if pick < 0.8:
            return end - datetime.timedelta(days=7)  # by last week's run
        if pick < 0.9:
            return None  # never in a digest yet: news count from created_at
        return end - datetime.timedelta(days=self.rng.choice([14, 21]))  # runs missed


def make_subscriptions(rng: random.Random, readers: dict[int, str], total: int, targets: Targets, end) -> dict:
    """`total` subscriptions among the readers: most readers have none, most subscribers one
    or two, a few many; 0.5% of the subscribers' addresses have bounced."""
    from django.db import transaction

    from catalogue.models import MailBounce, Subscription

    order = sorted(readers)
    rng.shuffle(order)
    rows: list[Subscription] = []
    subscribers: list[int] = []
    for user in order:
        if len(rows) >= total:
            break
        wanted = min(total - len(rows), rng.choices([1, 2, 3, 4, 5, 8, 12], [55, 20, 10, 6, 4, 3, 2])[0])
        seen: set[tuple] = set()
        for _ in range(wanted * 3):  # a target drawn twice is drawn again, a few times
            kind = targets.kind()
            fields = targets.target(kind)
            key = (kind, *fields.values())
            if key in seen:
                continue
            seen.add(key)
            rows.append(
                Subscription(
                    user_id=user,
                    kind=kind,
                    frequency=targets.frequency(kind),
                    covered_until=targets.covered(end),
                    **fields,
                )
            )
            if len(seen) == wanted:
                break
        subscribers.append(user)
    ids = []
    with transaction.atomic():
        Subscription.objects.bulk_create(rows, batch_size=5000)
        ids = [row.pk for row in rows]
        # created_at is auto_now_add: a week or more back, before what covers it
        sql(
            "UPDATE catalogue_subscription SET created_at = %s - interval '8 days' - (id %% 300) * interval '1 day' "
            "WHERE id = ANY(%s)",
            [end, ids],
        )
        sql(f"CREATE TABLE {COVERED} AS SELECT id, covered_until FROM catalogue_subscription WHERE id = ANY(%s)", [ids])
        bounced = rng.sample(subscribers, len(subscribers) // 200)
        MailBounce.objects.bulk_create([MailBounce(email=readers[user], code=550, reply="bench") for user in bounced])
    mix: dict[str, int] = {}
    for row in rows:
        key = f"{row.kind} {row.frequency}"
        mix[key] = mix.get(key, 0) + 1
    return {
        "subscriptions": len(rows),
        "subscribers": len(subscribers),
        "bounced": len(bounced),
        "mix": dict(sorted(mix.items(), key=lambda kv: -kv[1])),
        "searches": len({row.search for row in rows if row.search}),
    }


def set_up(args) -> dict:
    from django.db import transaction

    from catalogue.models import Item, Subscription

    rng = random.Random(args.seed)
    started = time.perf_counter()
    end, now = the_week(args.week_ending)
    natural = Item.objects.filter(
        created_at__gt=end - datetime.timedelta(days=8), created_at__lte=end, withdrawn_at=None
    ).count()
    others = Subscription.objects.exclude(user__email__endswith=MARK).count()
    with transaction.atomic():
        week_items = move_items(rng, args.items, end)
        issues, announced = make_issues(rng, week_items, end)
    readers = make_readers(args.readers, end)
    targets = Targets(rng, week_items, search_pool(rng, args.searches))
    made = make_subscriptions(rng, readers, args.subscriptions, targets, end)
    sql("ANALYZE catalogue_item")
    sql("ANALYZE catalogue_subscription")
    sql("ANALYZE auth_user")
    return {
        **made,
        "end": end.isoformat(),
        "now": now.isoformat(),
        "readers": len(readers),
        "moved": len(week_items),
        "natural": natural,
        "issues": issues,
        "announced": announced,
        "other_subscriptions": others,
        "seconds": time.perf_counter() - started,
    }


def put_back() -> None:
    """After the probes: no mailings for the bench's readers, their subscriptions covered as set up."""
    from django.db import transaction

    from catalogue.models import Mailing

    with transaction.atomic():
        Mailing.objects.filter(user__email__endswith=MARK).delete()
        sql(f"UPDATE catalogue_subscription s SET covered_until = c.covered_until FROM {COVERED} c WHERE s.id = c.id")


# --- the measured runs (a child process each) ------------------------------------------------


class Stop(Exception):
    """The probes stop a phase after a few batches."""


ORIGINAL: dict = {}


class Meter:
    """Counts the queries of a phase and of each batch, and times what the batches spend on."""

    def __init__(self, stop_after: int = 0):
        from catalogue.alerts import digests, sending

        self.stop_after = stop_after
        self.queries = 0
        self.decide: list[dict] = []
        self.send: list[dict] = []
        self.times = {"news": 0.0, "searches": 0.0, "compose": 0.0, "smtp": 0.0}
        self.searches = 0
        meter = self
        if not ORIGINAL:  # the code under test, before any meter wrapped it
            ORIGINAL.update(
                news=digests.News,
                decide_batch=digests.decide_batch,
                send_batch=sending.send_batch,
                hand_over=sending.hand_over,
                compose=sending.COMPOSERS["digest"],
            )
        real_decide_batch, real_send_batch = ORIGINAL["decide_batch"], ORIGINAL["send_batch"]
        real_hand_over, real_compose = ORIGINAL["hand_over"], ORIGINAL["compose"]

        class TimedNews(ORIGINAL["news"]):  # type: ignore[misc, valid-type]
            def __init__(self, start, end):
                started = time.perf_counter()
                super().__init__(start, end)
                meter.times["news"] += time.perf_counter() - started

            def matches(self, search):
                if search in self.searches:
                    return self.searches[search]
                started = time.perf_counter()
                found = super().matches(search)
                meter.times["searches"] += time.perf_counter() - started
                meter.searches += 1
                return found

        def decide_batch(subscriptions, news, decided):
            if self.stop_after and len(self.decide) >= self.stop_after:
                raise Stop
            queries, searches, mailings = self.queries, len(news.searches), decided.mailings
            started = time.perf_counter()
            real_decide_batch(subscriptions, news, decided)
            self.decide.append(
                {
                    "readers_before": decided.readers,  # the loop adds this batch's readers after
                    "queries": self.queries - queries,
                    "searches": len(news.searches) - searches,
                    "mailings": decided.mailings - mailings,
                    "seconds": time.perf_counter() - started,
                    "decided": decided,
                }
            )

        def send_batch(batch, now, outcome):
            if self.stop_after and len(self.send) >= self.stop_after:
                raise Stop
            queries = self.queries
            started = time.perf_counter()
            real_send_batch(batch, now, outcome)
            self.send.append(
                {"mailings": len(batch), "queries": self.queries - queries, "seconds": time.perf_counter() - started}
            )

        def hand_over(connection, email):
            started = time.perf_counter()
            try:
                return real_hand_over(connection, email)
            finally:
                self.times["smtp"] += time.perf_counter() - started

        def compose(mailings):
            started = time.perf_counter()
            try:
                return real_compose(mailings)
            finally:
                self.times["compose"] += time.perf_counter() - started

        digests.News = TimedNews
        digests.decide_batch = decide_batch
        sending.send_batch = send_batch
        sending.hand_over = hand_over
        sending.COMPOSERS["digest"] = compose

    def __call__(self, execute, sql, params, many, context):
        self.queries += 1
        return execute(sql, params, many, context)

    def decide_batches(self) -> list[dict]:
        """Each batch with its readers (the difference of the count before the next batch)."""
        out = []
        for n, batch in enumerate(self.decide):
            after = self.decide[n + 1]["readers_before"] if n + 1 < len(self.decide) else batch["decided"].readers
            readers = after - batch["readers_before"]
            out.append({k: v for k, v in batch.items() if k != "decided"} | {"readers": readers})
        return out


def spread(values: list) -> list:
    if not values:
        return [0, 0, 0]
    return [min(values), statistics.median(values), max(values)]


def run_child(args) -> None:
    """--child probe|run: the phases, measured; one JSON line on stdout, prefixed RESULT."""
    setup_django()
    from django.db import connection

    from catalogue.alerts import digests, sending

    now = datetime.datetime.fromisoformat(args.now)
    result: dict = {"rss_start": rss_mb()}
    if args.child == "probe":
        result["probes"] = []
        for size in args.probe_sizes:
            meter = Meter(stop_after=args.probe_batches)
            with connection.execute_wrapper(meter):
                with contextlib.suppress(Stop):
                    digests.decide("weekly", now, batch_size=size)
                with contextlib.suppress(Stop):
                    sending.send_due(now, batch_size=size)
            result["probes"].append({"size": size, "decide": meter.decide_batches(), "send": meter.send})
            put_back()
        print("RESULT " + json.dumps(result), flush=True)
        return
    meter = Meter()
    cpu = [cpu_seconds()]
    with connection.execute_wrapper(meter):
        started = time.perf_counter()
        decided = digests.decide("weekly", now, batch_size=args.decide_batch)
        decide_seconds = time.perf_counter() - started
        decide_queries = meter.queries
        result["rss_decided"] = rss_mb()
        cpu.append(cpu_seconds())
        started = time.perf_counter()
        try:
            outcome = sending.send_due(now, batch_size=args.send_batch)
            down = ""
        except sending.MailServerDown as error:
            outcome, down = None, str(error)
        send_seconds = time.perf_counter() - started
        cpu.append(cpu_seconds())
    result.update(
        decide_cpu=cpu[1] - cpu[0],
        send_cpu=cpu[2] - cpu[1],
        decided=vars(decided) | {"end": decided.end.isoformat()},
        decide_seconds=decide_seconds,
        decide_queries=decide_queries,
        send_seconds=send_seconds,
        send_queries=meter.queries - decide_queries,
        sent=vars(outcome) if outcome else {},
        down=down,
        decide_batches=meter.decide_batches(),
        send_batches=meter.send,
        times=meter.times,
        searches=meter.searches,
        rss_peak=rss_mb(),
    )
    print("RESULT " + json.dumps(result), flush=True)


def child(kind: str, args, now: str) -> dict:
    command = [sys.executable, __file__, "--child", kind, "--now", now]
    command += ["--decide-batch", str(args.decide_batch), "--send-batch", str(args.send_batch)]
    command += ["--probe-batches", str(args.probe_batches), "--probe-sizes", ",".join(map(str, args.probe_sizes))]
    if kind == "run" and args.profile:
        command += ["--profile", args.profile]
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode or not lines:
        print(done.stdout, file=sys.stderr)
        raise SystemExit(f"the {kind} process failed (exit {done.returncode})")
    return json.loads(lines[-1][len("RESULT ") :])


# --- the report ------------------------------------------------------------------------------


def minutes(seconds: float) -> str:
    return f"{seconds:.1f} s" if seconds < 120 else f"{int(seconds // 60)} min {seconds % 60:.0f} s"


def show_setup(made: dict) -> None:
    print(
        f"set-up in {minutes(made['seconds'])}: {made['readers']:,} readers, {made['subscriptions']:,} subscriptions "
        f"of {made['subscribers']:,} of them ({made['bounced']} with a bounced address), "
        f"{made['searches']} distinct saved searches"
    )
    print("  subscriptions: " + ", ".join(f"{key} {count:,}" for key, count in made["mix"].items()))
    print(
        f"  the week up to {made['end']} (now = {made['now']}): {made['moved']:,} items moved in "
        f"({made['natural']:,} there already), {made['issues']} NEP issues announcing {made['announced']:,} items"
    )
    if made["other_subscriptions"]:
        print(f"  note: {made['other_subscriptions']:,} subscriptions of other readers are decided too")


def show_probes(probes: list[dict]) -> bool:
    """The queries of a batch by the readers it holds; True when they do not grow with them."""
    print("\nprobes: queries a batch makes, by batch size (first batches of each phase)")
    print(f"{'phase':<7} {'batch':>6} {'batches':>8} {'readers/batch':>14} {'queries min/med/max':>20} "
          f"{'new searches':>13} {'less searches':>14}")  # fmt: skip
    fixed: dict[str, list[float]] = {"decide": [], "send": []}
    for probe in probes:
        for phase in ("decide", "send"):
            batches = probe[phase]
            if not batches:
                print(f"{phase:<7} {probe['size']:>6} {0:>8}")
                continue
            queries = [b["queries"] for b in batches]
            searches = [b.get("searches", 0) for b in batches]
            less = [q - s for q, s in zip(queries, searches, strict=True)]
            sizes = [b["readers"] if phase == "decide" else b["mailings"] for b in batches]
            fixed[phase].extend(less)
            print(
                f"{phase:<7} {probe['size']:>6} {len(batches):>8} {statistics.median(sizes):>14,.0f} "
                f"{'/'.join(f'{v:g}' for v in spread(queries)):>20} {sum(searches):>13} "
                f"{'/'.join(f'{v:g}' for v in spread(less)):>14}"
            )
    constant = all(len(set(values)) <= 1 for values in fixed.values() if values)
    print(
        "queries per batch, less one per saved search met for the first time: "
        + ("the same at every batch size" if constant else "NOT constant: they grow with the batch")
    )
    return constant


def show_run(run: dict, received: dict) -> None:
    decided, sent = run["decided"], run["sent"]
    total = run["decide_seconds"] + run["send_seconds"]
    times = run["times"]
    print(f"\nthe weekly run: decide('weekly', now) then send_due(now); {decided['readers']:,} readers due")
    print(f"{'phase':<8} {'seconds':>9} {'CPU s':>7} {'batches':>8} {'queries':>8} {'per batch min/med/max':>22} "
          f"{'digests':>8} {'per s':>7} {'peak RSS MB':>12}")  # fmt: skip
    decide_q = [b["queries"] for b in run["decide_batches"]]
    send_q = [b["queries"] for b in run["send_batches"]]
    rows = [
        ("decide", run["decide_seconds"], run["decide_cpu"], decided["batches"], run["decide_queries"], decide_q,
         decided["mailings"], run["rss_decided"]),
        ("send", run["send_seconds"], run["send_cpu"], sent.get("batches", 0), run["send_queries"], send_q,
         sent.get("sent", 0), run["rss_peak"]),
    ]  # fmt: skip
    for name, seconds, cpu, batches, queries, per_batch, count, rss in rows:
        print(
            f"{name:<8} {seconds:>9.1f} {cpu:>7.1f} {batches:>8} {queries:>8,} "
            f"{'/'.join(f'{v:g}' for v in spread(per_batch)):>22} "
            f"{count:>8,} {count / seconds if seconds else 0:>7.0f} {rss:>12.0f}"
        )
    print(
        f"{'total':<8} {total:>9.1f} {run['decide_cpu'] + run['send_cpu']:>7.1f} {'':>8} "
        f"{run['decide_queries'] + run['send_queries']:>8,} {'':>22} "
        f"{sent.get('sent', 0):>8,} {sent.get('sent', 0) / total if total else 0:>7.0f} {run['rss_peak']:>12.0f}"
    )
    batches_decide = sum(b["seconds"] for b in run["decide_batches"])
    print(
        f"decide: news of the week {times['news']:.1f} s; {run['searches']} saved searches {times['searches']:.1f} s "
        f"(within the batches); batches {batches_decide:.1f} s, {batches_decide - times['searches']:.1f} s without "
        f"the searches; {decided['bounced']} readers not mailed (bounced)"
    )
    batches_send = sum(b["seconds"] for b in run["send_batches"])
    print(
        f"send: composing {times['compose']:.1f} s, handing over (SMTP) {times['smtp']:.1f} s, the rest of the "
        f"batches (marking, bounces, recording) {batches_send - times['compose'] - times['smtp']:.1f} s; "
        f"{sent.get('failed', 0)} to retry, {sent.get('bounced', 0)} bounced, {sent.get('gave_up', 0)} given up"
    )
    if run["down"]:
        print(f"the mail server went away: {run['down']}")
    print(
        f"sink: {received['messages']:,} messages to {received['distinct_recipients']:,} distinct recipients over "
        f"{received['connections']:,} SMTP connections, {received['bytes'] / 1e6:.1f} MB, "
        f"{received['one_click']:,} with the one-click unsubscribe header"
    )
    verdict = "within" if total < TARGET_SECONDS else "OVER"
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"whole run {minutes(total)}: {verdict} the target of {TARGET_SECONDS // 60} minutes (load average {load})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=100_000)
    parser.add_argument("--subscriptions", type=int, default=75_000)
    parser.add_argument("--items", type=int, default=20_000, help="items that came in during the week")
    parser.add_argument("--searches", type=int, default=300, help="distinct saved searches to draw from")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--week-ending", default="", help="a moment in the week's last day (default: see above)")
    parser.add_argument("--decide-batch", type=int, default=0, help="readers a batch (default: digests.BATCH)")
    parser.add_argument("--send-batch", type=int, default=0, help="messages a batch (default: sending.BATCH)")
    parser.add_argument("--probe-sizes", type=lambda s: [int(v) for v in s.split(",") if v], default=[100, 500])
    parser.add_argument("--probe-batches", type=int, default=3, help="batches each probe runs (0: no probes)")
    parser.add_argument("--keep", action="store_true", help="keep the readers, issues and moved items")
    parser.add_argument("--profile", default="", help="write cProfile statistics of the run (not the probes) here")
    parser.add_argument("--serve-sink", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--child", choices=["probe", "run"], help=argparse.SUPPRESS)
    parser.add_argument("--now", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_sink:
        serve_sink(args.serve_sink)
        return
    if args.child and args.profile:  # the run under cProfile: read it with python -m pstats
        import cProfile

        cProfile.runctx("run_child(args)", globals(), {"args": args}, args.profile)
        return
    if args.child:
        run_child(args)
        return

    sink = SinkProcess()
    made: dict | None = None
    # every message to the sink, whatever the environment says (the children inherit these)
    os.environ.update(
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(sink.port),
        EMAIL_USE_TLS="false",
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_TIMEOUT="20",
    )
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    try:
        setup_django()
        from django.conf import settings
        from django.db import connection

        from catalogue.alerts import digests, sending

        if connection.vendor != "postgresql":
            raise SystemExit("bench/alerts.py runs on PostgreSQL (DATABASE_URL)")
        if settings.DEBUG:
            print("warning: DEBUG is on; Django keeps every query: times and memory grow", file=sys.stderr)
        args.decide_batch = args.decide_batch or digests.BATCH
        args.send_batch = args.send_batch or sending.BATCH
        print(machine())
        print(f"items: {item_total():,}; decide batches of {args.decide_batch} readers, send batches of "
              f"{args.send_batch}; SMTP sink on 127.0.0.1:{sink.port} ({settings.EMAIL_BACKEND})")  # fmt: skip
        cleaned = clean_up()
        if cleaned["readers"] or cleaned["issues"] or cleaned["items"]:
            print(
                f"removed an earlier run's {cleaned['readers']:,} readers, {cleaned['issues']} issues, "
                f"{cleaned['items']:,} moved items in {minutes(cleaned['seconds'])}"
            )
        made = {}
        made = set_up(args)
        show_setup(made)
        constant = True
        if args.probe_batches:
            probed = child("probe", args, made["now"])
            constant = show_probes(probed["probes"])
        sink.counts("reset")
        run = child("run", args, made["now"])
        received = sink.counts()
        show_run(run, received)
        sent = run["sent"].get("sent", 0)
    finally:
        sink.stop()
        if made is not None and not args.keep:  # what set_up made, even half of it
            cleaned = clean_up()
            print(f"cleaned up in {minutes(cleaned['seconds'])} (--keep keeps it all)")
    if received["messages"] != sent:
        raise SystemExit(f"the sink received {received['messages']:,} messages, {sent:,} were sent")
    if not constant:
        raise SystemExit("the queries of a batch grow with its readers")


if __name__ == "__main__":
    main()
