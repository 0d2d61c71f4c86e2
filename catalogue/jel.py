"""The JEL classification: codes, names and the tree (`O31` under `O3` under `O`).

Shared by the importer (codes it creates get their names), the data migrations that load the
tree, the synthetic catalogue and the JEL pages. The table (jel.tsv) is the whole official
classification; `jel_name` also names any other `...0` ("General") and `...9` ("Other") code
an archive sends, which the classification names the same way in every category.
"""

from pathlib import Path
from typing import Any


def _read_table(path: Path) -> dict[str, str]:
    rows = (line.rstrip("\n").split("\t") for line in path.read_text(encoding="utf-8").splitlines())
    return {row[0]: row[1] for row in rows if row[0] and not row[0].startswith("#")}


#: The JEL classification, code -> official name, read from jel.tsv beside this module: the
#: letters, the two-character categories and every three-character code, parents first.
JEL_NAMES: dict[str, str] = _read_table(Path(__file__).with_name("jel.tsv"))


def parent_code(code: str) -> str | None:
    """`O31` -> `O3`, `O3` -> `O`, `O` -> None."""
    return code[:-1] if len(code) > 1 else None


def ancestors(code: str) -> list[str]:
    """The codes above `code`, from the top: `O31` -> [`O`, `O3`]."""
    return [code[:n] for n in range(1, len(code))]


def jel_name(code: str) -> str:
    """The name of a JEL code, or "" when the table does not know it."""
    code = code.upper()
    if code in JEL_NAMES:
        return JEL_NAMES[code]
    if len(code) >= 2 and code[-1] == "0":
        return "General"
    if len(code) == 3 and code[-1] == "9":
        return "Other"
    return ""


def load_jel_tree(jel_code_model: Any, rename: bool = False) -> None:  # the model, or a migration's historical one
    """Create the codes of the table that are missing (parents first) and name every unnamed code;
    with `rename`, every code of the table takes the table's name (the official one).

    Takes the model so that migrations can pass their historical one; run again (from a new
    migration) whenever the table grows.
    """
    existing = set(jel_code_model.objects.values_list("code", flat=True))
    jel_code_model.objects.bulk_create(
        [
            jel_code_model(code=code, parent_id=parent_code(code), name=name)
            for code, name in sorted(JEL_NAMES.items(), key=lambda kv: (len(kv[0]), kv[0]))
            if code not in existing
        ]
    )
    if rename:
        renamed = [c for c in jel_code_model.objects.filter(code__in=JEL_NAMES) if c.name != JEL_NAMES[c.code]]
        for code in renamed:
            code.name = JEL_NAMES[code.code]
        jel_code_model.objects.bulk_update(renamed, ["name"], batch_size=500)
    unnamed = list(jel_code_model.objects.filter(name=""))
    for code in unnamed:
        code.name = jel_name(code.code)
    jel_code_model.objects.bulk_update([c for c in unnamed if c.name], ["name"], batch_size=500)
