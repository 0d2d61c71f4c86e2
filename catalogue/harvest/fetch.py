"""Fetching an archive's files as a good citizen, over HTTP(S) and FTP.

One `Client` a harvest: one connection at a time per host (the harvest is sequential, and
each host has one pool of one connection), HARVEST_DELAY seconds between two requests to a
host, HARVEST_TIMEOUT to connect and between two reads (and ten times that for a whole
file), HARVEST_MAX_BYTES a file, at most five redirects, only http, https and ftp, a
User-Agent naming the site and its contact address; timeouts, 5xx answers and resets are
tried again HARVEST_RETRIES times with a doubling pause.

Archive URLs come from outside: a host name is resolved here, every address it has is
checked (private, loopback, link-local, multicast, reserved and unspecified ranges are
refused unless HARVEST_ALLOW_PRIVATE, or the address is in HARVEST_ALLOW_NETWORKS), and the
connection goes to the address checked, with the name only in the Host header and TLS's
SNI: a second resolution (DNS rebinding) never
gets a say. Each redirect hop is checked the same way. FTP's passive data connection goes to
the control connection's address (ftplib ignores the address the server sends).
"""

from __future__ import annotations

import ftplib
import hashlib
import ipaddress
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import quote, unquote, urljoin, urlsplit

import urllib3
from django.conf import settings
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import TimeoutError as Urllib3Timeout

from .listing import Entry, ftp_entries, html_entries

MAX_REDIRECTS = 5
SCHEMES = {"http": 80, "https": 443, "ftp": 21}
CHUNK = 64 * 1024
T = TypeVar("T")


class FetchError(Exception):
    """A file or listing could not be had: the message says why, for the run's report."""


class Transient(FetchError):
    """Worth another try: a timeout, a reset, a 5xx answer."""


@dataclass
class Fetched:
    """A GET's outcome: `body` None when the server said 304 (not modified)."""

    url: str
    body: bytes | None
    etag: str = ""
    last_modified: str = ""
    content_type: str = ""


def user_agent() -> str:
    return f"{settings.SITE_NAME}-harvester/1.0 (+{settings.SITE_URL}; {settings.HARVEST_CONTACT})"


def refused_address(address: str) -> str | None:
    """Why an address may not be harvested from, or None when it may."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for label, flag in (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private or not ip.is_global),
    ):
        if flag:
            return f"{address} is a {label} address"
    return None


def resolve(host: str, port: int) -> str:
    """The address to connect to for this host, every one of its addresses checked."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise FetchError(f"the host name {host} does not resolve ({error})") from None
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise FetchError(f"the host name {host} does not resolve")
    if not settings.HARVEST_ALLOW_PRIVATE:
        allowed = [ipaddress.ip_network(net, strict=False) for net in settings.HARVEST_ALLOW_NETWORKS]
        for address in addresses:
            why = refused_address(address)
            if why and not any(ipaddress.ip_address(address.split("%")[0]) in net for net in allowed):
                raise FetchError(f"refused: {host} resolves to {why} (HARVEST_ALLOW_PRIVATE is off)")
    return addresses[0]


def split_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a URL this harvester may fetch; FetchError otherwise."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise FetchError(f"only http, https and ftp URLs are harvested, not {scheme or 'this'}: {url}")
    try:
        port = parts.port or SCHEMES[scheme]
    except ValueError:
        raise FetchError(f"a bad port in {url}") from None
    if not parts.hostname:
        raise FetchError(f"no host in {url}")
    return scheme, parts.hostname, port


class Client:
    """Fetches for one harvest; `requests` counts what went on the wire, `log` (if a list)
    records (method, url, conditional) for the tests and the benchmark."""

    def __init__(self) -> None:
        self.delay = settings.HARVEST_DELAY
        self.timeout = settings.HARVEST_TIMEOUT
        self.max_bytes = settings.HARVEST_MAX_BYTES
        self.retries = settings.HARVEST_RETRIES
        self.requests = 0
        self.last: dict[str, float] = {}  # host -> when its last request ended
        self.pools: dict[tuple[str, str, int, str], urllib3.HTTPConnectionPool] = {}
        self.ftps: dict[tuple[str, int], ftplib.FTP] = {}

    def close(self) -> None:
        for pool in self.pools.values():
            pool.close()
        for ftp in self.ftps.values():
            try:
                ftp.quit()
            except (OSError, EOFError, ftplib.Error):
                ftp.close()
        self.pools, self.ftps = {}, {}

    # -- politeness ------------------------------------------------------------------------

    @contextmanager
    def turn(self, host: str) -> Iterator[None]:
        """Wait for this host's turn, and count the request."""
        wait = self.last.get(host, 0.0) + self.delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self.requests += 1
        try:
            yield
        finally:
            self.last[host] = time.monotonic()

    def retrying(self, attempt: Callable[[], T]) -> T:
        """attempt(), tried again on a Transient error, with a doubling pause."""
        for n in range(self.retries + 1):
            try:
                return attempt()
            except Transient as error:
                if n == self.retries:
                    tries = f" ({n + 1} tries)" if n else ""
                    raise FetchError(f"{error}{tries}") from None
                time.sleep(max(self.delay, 0.05) * 2**n)
        raise AssertionError("unreachable")

    # -- HTTP --------------------------------------------------------------------------------

    def get(self, url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
        """GET a file, conditionally when etag or last_modified is given; redirects followed (checked)."""
        return self.retrying(lambda: self.get_once(url, etag, last_modified))

    def get_once(self, url: str, etag: str, last_modified: str) -> Fetched:
        for _ in range(MAX_REDIRECTS + 1):
            scheme, host, port = split_url(url)
            if scheme == "ftp":
                raise FetchError(f"a redirect from HTTP to FTP is not followed: {url}")
            response = self.request(url, scheme, host, port, etag, last_modified)
            whole = False  # the answer read to its end: its connection may serve the next request
            try:
                if response.status in (301, 302, 303, 307, 308):
                    location = response.headers.get("Location")
                    if not location:
                        raise FetchError(f"HTTP {response.status} without a Location")
                    url = urljoin(url, location)
                    continue
                fetched = self.answer(url, response)
                whole = True
                return fetched
            finally:
                if not whole:
                    response.close()  # unread bytes must not reach the next request on this connection
                response.release_conn()
        raise FetchError(f"more than {MAX_REDIRECTS} redirects (a loop?)")

    def request(
        self, url: str, scheme: str, host: str, port: int, etag: str, last_modified: str
    ) -> urllib3.BaseHTTPResponse:
        address = resolve(host, port)
        key = (scheme, host, port, address)
        pool = self.pools.get(key)
        if pool is None:
            timeout = urllib3.Timeout(connect=self.timeout, read=self.timeout)
            if scheme == "https":
                pool = urllib3.HTTPSConnectionPool(
                    address, port, timeout=timeout, retries=False, maxsize=1, block=True,
                    server_hostname=host, assert_hostname=host, cert_reqs="CERT_REQUIRED",
                )  # fmt: skip
            else:
                pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False, maxsize=1, block=True)
            self.pools[key] = pool
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        default_port = port == SCHEMES[scheme]
        headers = {
            "Host": host if default_port else f"{host}:{port}",
            "User-Agent": user_agent(),
            "Accept-Encoding": "identity",
        }
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        with self.turn(host):
            try:
                response = pool.urlopen(
                    "GET", path, headers=headers, redirect=False, retries=False,
                    preload_content=False, assert_same_host=False,
                )  # fmt: skip
            except Urllib3Timeout:
                raise Transient(f"timed out after {self.timeout:g} s") from None
            except (Urllib3Error, OSError) as error:
                raise Transient(f"the connection failed ({type(error).__name__})") from None
        if response.status >= 500:
            response.release_conn()
            raise Transient(f"HTTP {response.status} (a server error)")
        return response

    def answer(self, url: str, response: urllib3.BaseHTTPResponse) -> Fetched:
        headers = response.headers
        fetched = Fetched(
            url, None, headers.get("ETag", ""), headers.get("Last-Modified", ""), headers.get("Content-Type", "")
        )
        if response.status == 304:
            return fetched
        if response.status != 200:
            raise FetchError(f"HTTP {response.status}")
        length = headers.get("Content-Length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            raise FetchError(f"{int(length):,} bytes, more than HARVEST_MAX_BYTES ({self.max_bytes:,}): not fetched")
        deadline = time.monotonic() + self.timeout * 10
        body = bytearray()
        try:
            for chunk in response.stream(CHUNK):
                body += chunk
                if len(body) > self.max_bytes:
                    raise FetchError(f"more than HARVEST_MAX_BYTES ({self.max_bytes:,}) bytes: not imported")
                if time.monotonic() > deadline:
                    raise Transient(f"still not whole after {self.timeout * 10:g} s")
        except Urllib3Timeout:
            raise Transient(f"timed out after {self.timeout:g} s while reading") from None
        except (Urllib3Error, OSError) as error:
            raise Transient(f"the connection broke while reading ({type(error).__name__})") from None
        fetched.body = bytes(body)
        return fetched

    def http_listing(self, url: str) -> list[Entry]:
        fetched = self.get(url)
        assert fetched.body is not None  # an unconditional GET
        return html_entries(fetched.url, fetched.body)

    # -- FTP ---------------------------------------------------------------------------------

    def ftp(self, host: str, port: int, fresh: bool = False) -> ftplib.FTP:
        key = (host, port)
        ftp = self.ftps.pop(key, None)
        if ftp is not None and fresh:
            ftp.close()
            ftp = None
        if ftp is None:
            address = resolve(host, port)
            ftp = ftplib.FTP(timeout=self.timeout)  # noqa: S321 (RePEc archives publish over FTP; public data)
            with self.turn(host):
                ftp.connect(address, port)
                ftp.login("anonymous", settings.HARVEST_CONTACT)
        self.ftps[key] = ftp
        return ftp

    def ftp_call(self, url: str, call: Callable[[ftplib.FTP, str], T]) -> T:
        """call(connection, path) with retries; a broken connection is opened again."""
        _, host, port = split_url(url)
        path = unquote(urlsplit(url).path) or "/"
        state = {"fresh": False}

        def attempt() -> T:
            try:
                ftp = self.ftp(host, port, fresh=state["fresh"])
                with self.turn(host):
                    return call(ftp, path)
            except TimeoutError:
                state["fresh"] = True
                raise Transient(f"timed out after {self.timeout:g} s") from None
            except ftplib.error_temp as error:
                raise Transient(f"FTP {str(error).strip()}") from None
            except ftplib.error_perm as error:
                raise FetchError(f"FTP {str(error).strip()}") from None
            except (OSError, EOFError, ftplib.Error) as error:
                state["fresh"] = True
                raise Transient(f"the FTP connection failed ({type(error).__name__})") from None

        return self.retrying(attempt)

    def ftp_listing(self, url: str) -> list[Entry]:
        def listing(ftp: ftplib.FTP, path: str) -> list[Entry]:
            try:
                return ftp_entries(url, list(ftp.mlsd(path, facts=["type", "size", "modify"])))
            except ftplib.error_perm:  # no MLSD (500/502): names only, then SIZE and MDTM for files
                names = [name.rsplit("/", 1)[-1] for name in ftp.nlst(path)]
                ftp.voidcmd("TYPE I")  # SIZE in binary mode (some servers refuse it in ASCII)
                return [self.ftp_facts(ftp, url, name) for name in names if name not in (".", "..")]

        return self.ftp_call(url, listing)

    def ftp_facts(self, ftp: ftplib.FTP, folder: str, name: str) -> Entry:
        """An NLST name: a file (SIZE answers) with its MDTM, else a folder."""
        path = unquote(urlsplit(folder).path).rstrip("/") + "/" + name
        try:
            size = ftp.size(path)
        except ftplib.error_perm:
            return Entry(urljoin(folder, quote(name) + "/"), name, True)
        try:
            mtime = ftp.sendcmd(f"MDTM {path}").split()[-1]
        except ftplib.error_perm:
            mtime = ""
        return Entry(urljoin(folder, quote(name)), name, False, size, mtime)

    def ftp_get(self, url: str) -> bytes:
        def retrieve(ftp: ftplib.FTP, path: str) -> bytes:
            body = bytearray()

            def take(chunk: bytes) -> None:
                body.extend(chunk)
                if len(body) > self.max_bytes:
                    raise TooBig

            try:
                ftp.retrbinary(f"RETR {path}", take, blocksize=CHUNK)
            except TooBig:
                ftp.close()  # the transfer is abandoned mid-way: this connection is done
                self.ftps.pop(split_url(url)[1:], None)
                raise FetchError(f"more than HARVEST_MAX_BYTES ({self.max_bytes:,}) bytes: not imported") from None
            return bytes(body)

        return self.ftp_call(url, retrieve)

    # -- either ------------------------------------------------------------------------------

    def listing(self, url: str) -> list[Entry]:
        """The files and folders of a folder URL (ending with /)."""
        scheme, _, _ = split_url(url)
        return self.ftp_listing(url) if scheme == "ftp" else self.http_listing(url)


class TooBig(Exception):
    """Stops an FTP transfer past HARVEST_MAX_BYTES."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
