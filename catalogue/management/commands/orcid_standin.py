"""`make run`'s stand-in of ORCID: "Log in with ORCID" on the demo without ORCID's credentials."""

import urllib.parse

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from catalogue.readers.orcid import enabled
from catalogue.readers.orcid.standin import OrcidStandIn, Record, is_loopback

# ORCID's documented example iD (Josiah Carberry), which the demo gives its author pra123
DEMO_RECORDS = [
    Record(
        "0000-0002-1825-0097",
        "Josiah",
        "Carberry",
        note="The iD on the demo author Ruslan Rakhmatullin's profile (pra123), imported from RePEc: "
        "after signing up you are offered to take that profile over.",
    )
]


class Command(BaseCommand):
    help = (
        "Serve a local stand-in of ORCID (authorize page, token, record) where ORCID_BASE_URL points, "
        "for logging in with ORCID on `make run`. Development only: refuses unless DEBUG is on, ORCID is "
        "configured, and ORCID_BASE_URL and ORCID_API_URL are one http:// address on loopback."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("the ORCID stand-in is for development only: DEBUG is off")
        if not enabled():
            raise CommandError("set ORCID_CLIENT_ID and ORCID_CLIENT_SECRET (make run sets demo values)")
        url = urllib.parse.urlsplit(settings.ORCID_BASE_URL)
        if url.scheme != "http" or not url.hostname or not is_loopback(url.hostname) or not url.port:
            raise CommandError(f"ORCID_BASE_URL must be http://127.0.0.1:<port> for the stand-in, not {url.geturl()}")
        if settings.ORCID_API_URL.rstrip("/") != settings.ORCID_BASE_URL.rstrip("/"):
            raise CommandError("ORCID_API_URL must be ORCID_BASE_URL: the stand-in serves both")
        site = urllib.parse.urlsplit(settings.SITE_URL)
        callback = reverse("orcid_callback")
        hosts = {site.netloc} | {f"{h}:{site.port}" for h in ("127.0.0.1", "localhost") if site.port}
        prefixes = tuple(sorted(f"{site.scheme}://{h}{callback}" for h in hosts))
        host = url.hostname if ":" not in url.hostname else f"[{url.hostname}]"
        try:
            stand_in = OrcidStandIn(
                settings.ORCID_CLIENT_ID,
                settings.ORCID_CLIENT_SECRET,
                prefixes,
                DEMO_RECORDS,
                fresh=True,
                host=host,
                port=url.port,
            )
        except OSError as e:
            raise CommandError(f"cannot listen on {url.netloc}: {e}") from e
        self.stdout.write(f"ORCID stand-in (a local demo, not ORCID) on {stand_in.url}, back to {', '.join(prefixes)}")
        self.stdout.flush()  # under honcho, at once
        try:
            stand_in.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            stand_in.close()
