"""Directory listings as servers write them, and the addresses a harvest refuses."""

import pytest

from catalogue.harvest.fetch import FetchError, refused_address, split_url
from catalogue.harvest.listing import Entry, ftp_entries, html_entries

APACHE = b"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN"><html><head><title>Index of /RePEc/ipt</title>
</head><body><h1>Index of /RePEc/ipt</h1><table><tr><th><a href="?C=N;O=D">Name</a></th></tr>
<tr><td><a href="/RePEc/">Parent Directory</a></td></tr>
<tr><td><a href="iptarch.rdf">iptarch.rdf</a></td><td>2024-01-02 10:00</td><td>1.2K</td></tr>
<tr><td><a href="iptseri.rdf">iptseri.rdf</a></td></tr>
<tr><td><a href="iptwpa/">iptwpa/</a></td></tr>
<tr><td><a href="Old%20Files/">Old Files/</a></td></tr>
<tr><td><a href="http://elsewhere.example.org/x.rdf">x.rdf</a></td></tr>
<tr><td><a href="../">..</a></td></tr></table></body></html>"""

NGINX = b"""<html><head><title>Index of /RePEc/ipt/iptwpa/</title></head><body><h1>Index of /RePEc/ipt/iptwpa/</h1>
<hr><pre><a href="../">../</a>
<a href="2020/">2020/</a>                                               02-Jan-2024 10:00       -
<a href="jrc108028.rdf">jrc108028.rdf</a>                                      02-Jan-2024 10:00    1234
<a href="/RePEc/ipt/iptwpa/jrc108029.redif">jrc108029.redif</a>
</pre><hr></body></html>"""


def test_an_apache_index_page():
    entries = html_entries("https://example.org/RePEc/ipt/", APACHE)
    assert entries == [
        Entry("https://example.org/RePEc/ipt/iptarch.rdf", "iptarch.rdf", False),
        Entry("https://example.org/RePEc/ipt/iptseri.rdf", "iptseri.rdf", False),
        Entry("https://example.org/RePEc/ipt/iptwpa/", "iptwpa", True),
        Entry("https://example.org/RePEc/ipt/Old%20Files/", "Old Files", True),
    ]


def test_an_nginx_index_page():
    entries = html_entries("https://example.org/RePEc/ipt/iptwpa/", NGINX)
    assert [(e.name, e.is_dir, e.is_redif) for e in entries] == [
        ("2020", True, False),
        ("jrc108028.rdf", False, True),
        ("jrc108029.redif", False, True),
    ]


def test_mlsd_lines():
    entries = ftp_entries(
        "ftp://example.org/RePEc/ipt/",
        [
            (".", {"type": "cdir"}),
            ("iptwpa", {"type": "dir"}),
            ("a b.rdf", {"type": "file", "size": "12", "modify": "20240102100000"}),
            ("link", {"type": "OS.unix=symlink"}),
        ],
    )
    assert entries == [
        Entry("ftp://example.org/RePEc/ipt/iptwpa/", "iptwpa", True),
        Entry("ftp://example.org/RePEc/ipt/a%20b.rdf", "a b.rdf", False, 12, "20240102100000"),
    ]


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.0.1", "private"),
        ("169.254.169.254", "link-local"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "private"),
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("fd00::1", "private"),
        ("::ffff:127.0.0.1", "loopback"),
    ],
)
def test_addresses_refused(address, why):
    assert refused_address(address) == f"{address} is a {why} address"


def test_public_addresses_pass():
    assert refused_address("93.184.216.34") is None
    assert refused_address("2606:2800:220:1:248:1893:25c8:1946") is None


@pytest.mark.parametrize("url", ["file:///etc/passwd", "gopher://x/", "javascript:alert(1)", "http:///nohost"])
def test_only_http_https_ftp_with_a_host(url):
    with pytest.raises(FetchError):
        split_url(url)
