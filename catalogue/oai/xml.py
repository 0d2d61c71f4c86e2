"""XML text: escaping that also drops the characters XML 1.0 cannot hold (a control character in
an imported abstract would otherwise make the whole response unreadable)."""

import re
from xml.sax.saxutils import escape, quoteattr

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def attr(value: str) -> str:
    return quoteattr(_NOT_XML.sub("", value))


def element(name: str, value: str, attributes: str = "") -> str:
    """`<name attributes>value</name>`, escaped; nothing for an empty value."""
    return f"<{name}{attributes}>{text(value)}</{name}>" if value.strip() else ""
