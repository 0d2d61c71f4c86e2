"""The OAI-PMH 2.0 provider at /oai (issue 16; DECISIONS.md, D20): `handle(base_url, arguments)`
answers one request as chunks of XML (protocol.py reads the arguments, records.py the rows,
xml.py writes them)."""

from .responses import handle

__all__ = ["handle"]
