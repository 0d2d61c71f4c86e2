"""ReDIF (RePEc's metadata format): ``parser`` turns bytes into templates,
``records`` turns templates into validated, typed records.  Pure stdlib."""

from .parser import (
    Field,
    ReDIFError,
    ReDIFWarning,
    Template,
    decode,
    parse_bytes,
    parse_file,
    parse_text,
)
from .records import to_record

__all__ = [
    "Field",
    "ReDIFError",
    "ReDIFWarning",
    "Template",
    "decode",
    "parse_bytes",
    "parse_file",
    "parse_text",
    "to_record",
]
