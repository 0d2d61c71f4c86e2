"""Bytes of a ReDIF file -> text lines.  Pure standard library.

UTF-16 (BOM, or the NUL pattern of BOM-less ASCII-range text), UTF-8 (BOM
stripped), and, line by line, UTF-8 when the line is valid UTF-8 and
Windows-1252 otherwise (the five bytes cp1252 leaves undefined are taken as
Latin-1).  Line ends are normalised and control characters other than tab
(NUL, Ctrl-Z ...) and stray BOMs are removed.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from typing import BinaryIO

__all__ = ["decode"]

# Characters removed on input: C0 controls except tab and newline (this covers
# NUL, which PostgreSQL cannot store, and Ctrl-Z, the old DOS end-of-file
# mark), DEL, and byte order marks in the middle of a file.
_CTRL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff]")
_BOM8 = codecs.BOM_UTF8


def _latin1_fallback(exc: UnicodeError) -> tuple[str, int]:
    # The five bytes cp1252 leaves undefined (0x81 0x8D 0x8F 0x90 0x9D) are
    # taken as Latin-1, i.e. as the code point of the same number.
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return bad.decode("latin-1"), exc.end


codecs.register_error("redif-latin1", _latin1_fallback)


def _decode_line(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "redif-latin1")


def _utf16_encoding(head: bytes) -> str | None:
    """The codec for UTF-16 data (BOM, or the NUL pattern of ASCII text), else None."""
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "utf-16"  # the codec reads and drops the BOM
    pairs = len(head) // 2
    if pairs < 2:
        return None
    odd_nuls = head[1 : 2 * pairs : 2].count(0)
    even_nuls = head[0 : 2 * pairs : 2].count(0)
    if odd_nuls * 2 >= pairs and even_nuls == 0:
        return "utf-16-le"
    if even_nuls * 2 >= pairs and odd_nuls == 0:
        return "utf-16-be"
    return None


def decode(data: bytes) -> str:
    """Bytes of a ReDIF file -> text with ``\\n`` line ends.

    UTF-16 (by BOM, or by the NUL pattern of a BOM-less file) and UTF-8 (BOM
    stripped).  Without a BOM, text that is valid UTF-8 is UTF-8; otherwise each
    line is read as UTF-8 if it can be, else as Windows-1252 (so a file mixing
    both comes out right).  Control characters other than tab and newline
    (NUL, Ctrl-Z ...) and stray BOMs are removed.  Never raises.
    """
    enc = _utf16_encoding(data[:64])
    if enc:
        text = data.decode(enc, "replace")
    else:
        if data.startswith(_BOM8):
            data = data[3:]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = "\n".join(_decode_line(raw) for raw in data.split(b"\n"))
    return _clean_text(text)


def _clean_text(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _CTRL.search(text):
        text = _CTRL.sub("", text)
    return text


# --------------------------------------------------------------------------
# line sources


def text_lines(text: str) -> Iterator[str]:
    text = _clean_text(text)
    find = text.find
    start = 0
    while True:
        end = find("\n", start)
        if end < 0:
            if start < len(text):
                yield text[start:]
            return
        yield text[start:end]
        start = end + 1


def _block_lines(block: bytes) -> list[str]:
    """Lines of a block of whole lines (UTF-8 if it all decodes, else per line)."""
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError:
        text = "\n".join(_decode_line(raw) for raw in block.split(b"\n"))
    text = _clean_text(text)
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    return lines


def binary_lines(fp: BinaryIO, block_size: int = 1 << 20) -> Iterator[str]:
    """Decoded lines (without line ends) of a seekable binary file, streamed in
    blocks of about ``block_size`` bytes cut at line ends."""
    head = fp.read(64)
    fp.seek(0)
    enc = _utf16_encoding(head)
    if enc:
        wrapper = io.TextIOWrapper(fp, encoding=enc, errors="replace", newline=None)
        for line in wrapper:
            line = line.removesuffix("\n")
            if _CTRL.search(line):
                line = _CTRL.sub("", line)
            yield line
        return
    if head.startswith(_BOM8):
        fp.read(3)
    rest = b""
    while chunk := fp.read(block_size):
        cut = chunk.rfind(b"\n") + 1
        if not cut:
            rest += chunk
            continue
        yield from _block_lines(rest + chunk[:cut] if rest else chunk[:cut])
        rest = chunk[cut:]
    if rest:
        yield from _block_lines(rest)
