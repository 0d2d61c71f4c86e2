"""What an import looks up again and again, kept for the run: series, keywords, JEL codes.

After a rollback the rows these caches name may be gone: `forget()` drops them, and they are
read again when next needed.
"""

from __future__ import annotations

from ..handles import series_key
from ..jel import jel_name
from ..models import JelCode, Keyword, Person, Series


class Lookups:
    def __init__(self) -> None:
        self.series_ids: dict[tuple[str, str], int] = {}
        self.keyword_ids: dict[str, int] = {}
        self.keyword_keys: dict[str, str] = {}  # name as written -> Keyword.make_key(name)
        self.jel_codes: set[str] = set(JelCode.objects.values_list("code", flat=True))

    def forget(self) -> None:
        self.series_ids.clear()
        self.keyword_ids.clear()
        self.jel_codes = set(JelCode.objects.values_list("code", flat=True))

    def series_id(self, handle: str) -> int | None:
        """The id of the series an item handle names, None if there is no such series yet."""
        key = series_key(handle)
        if key not in self.series_ids:
            found = Series.objects.by_codes(*key).values_list("pk", flat=True).first()
            if found is None:
                return None
            self.series_ids[key] = found
        return self.series_ids[key]

    def remember_series(self, archive_code: str, code: str, pk: int) -> None:
        self.series_ids[(archive_code.lower(), code.lower())] = pk

    def keyword_key(self, name: str) -> str:
        key = self.keyword_keys.get(name)
        if key is None:
            key = self.keyword_keys[name] = Keyword.make_key(name)
        return key

    def keyword_ids_for(self, keyword_lists: list[list[str]]) -> dict[str, int]:
        """Keyword key -> id, creating the keywords missing, named as the first record to
        have them spells them (its last spelling, should it have two)."""
        missing: dict[str, str] = {}
        for names in keyword_lists:
            spelling = {}
            for name in names:
                key = self.keyword_key(name)
                if key not in self.keyword_ids:
                    spelling[key] = name
            for key, name in spelling.items():
                missing.setdefault(key, name)
        if missing:
            Keyword.objects.bulk_create(
                [Keyword(key=key, name=name[:255]) for key, name in missing.items()], ignore_conflicts=True
            )
            self.keyword_ids.update(Keyword.objects.filter(key__in=list(missing)).values_list("key", "pk"))
        return self.keyword_ids

    def ensure_jel(self, codes: list[str]) -> None:
        """Create the JEL codes not known yet, and their parents."""
        missing = set()
        for leaf in codes:
            code: str | None = leaf
            while code and code not in self.jel_codes:
                missing.add(code)
                code = JelCode.parent_code(code)
        if missing:
            # parents before children, so that each parent exists when its child is written
            JelCode.objects.bulk_create(
                [JelCode(code=c, parent_id=JelCode.parent_code(c), name=jel_name(c)) for c in sorted(missing, key=len)],
                ignore_conflicts=True,
            )
            self.jel_codes |= missing


def persons_named(names: list[str]) -> dict[str, int]:
    """Author-Person values (short-ids or person handles), lower-cased -> person ids."""
    if not names:
        return {}
    keys = {n.lower() for n in names}
    found = {}
    for pk, short_id in Person.objects.filter(short_id__in=keys).values_list("pk", "short_id"):
        found[short_id] = pk
    for pk, handle in Person.objects.filter(handle__in=[n for n in names if ":" in n]).values_list("pk", "handle"):
        found[handle.lower()] = pk
    return found
