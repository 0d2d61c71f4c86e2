"""The house keeps its layout (ARCHITECTURE.md): no loose module at the root of catalogue/ but
the entrances and the ground-floor rules, and every import between its packages points down."""

import ast
from collections import defaultdict
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[1] / "catalogue"

GROUND = {"jel", "handles", "names"}
# what each package may import besides the ground floor (ARCHITECTURE.md, "What each package may import")
MAY_IMPORT = {
    "redif": set(),
    "models": set(),
    "formatting": {"models", "redif"},
    "pagecache": set(),
    "stats": {"models", "pagecache", "browse"},
    "browse": {"models"},
    "search": {"models"},
    "changes": {"models", "browse", "search", "pagecache"},
    "citations": {"models", "search", "changes", "pagecache"},
    "authors": {"models", "search", "citations"},
    "corrections": {"models", "redif", "citations"},
    "pages": {"models", "formatting", "citations"},
    "readers": {"models", "formatting", "search"},
    "ingest": {"models", "redif", "changes", "citations", "search", "stats", "pagecache"},
    "synthetic": {"models", "changes"},
    "harvest": {"models", "redif", "ingest", "changes"},
    "oai": {"models", "formatting"},
    "repec": {"models", "formatting"},
    "opendata": {"models", "pagecache"},
    "alerts": {"models", "search", "readers", "stats"},
}
ENTRANCES = {"views", "api", "admin", "management", "tasks", "templatetags", "urls", "apps", "context_processors"}
ROOT_MODULES = {"__init__", "apps", "urls", "context_processors", *GROUND}


def imported_packages() -> dict[str, set[str]]:
    """package (or root module) -> the catalogue packages its modules import, inside functions too."""
    found: dict[str, set[str]] = defaultdict(set)
    for path in CATALOGUE.rglob("*.py"):
        rel = path.relative_to(CATALOGUE)
        if rel.parts[0] == "migrations":
            continue
        me = rel.parts[0] if len(rel.parts) > 1 else rel.stem
        package = ["catalogue", *rel.parent.parts]
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                dotted = ".".join([*base, *([node.module] if node.module else [])]).split(".")
                names = [dotted[1]] if len(dotted) > 1 else [alias.name for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name.split(".")[1] for alias in node.names if alias.name.startswith("catalogue.")]
                dotted = ["catalogue"]
            else:
                continue
            if dotted[0] == "catalogue":
                found[me].update(name for name in names if name != me)
    return found


def test_the_root_of_catalogue_holds_only_the_entrances_and_the_ground_floor():
    loose = {path.stem for path in CATALOGUE.glob("*.py")}
    assert loose - ROOT_MODULES == set()


def test_the_ground_floor_imports_only_itself():
    imports = imported_packages()
    assert {name: imports[name] - GROUND for name in GROUND if imports[name] - GROUND} == {}


def test_every_package_imports_only_the_layers_below_it():
    imports = imported_packages()
    against = {
        package: sorted(imports[package] - allowed - GROUND)
        for package, allowed in MAY_IMPORT.items()
        if imports[package] - allowed - GROUND
    }
    assert against == {}


def test_no_package_imports_an_entrance():
    imports = imported_packages()
    assert {package: imports[package] & ENTRANCES for package in MAY_IMPORT if imports[package] & ENTRANCES} == {}


def test_every_package_is_placed_in_a_layer():
    packages = {path.parent.name for path in CATALOGUE.glob("*/__init__.py")} - {"migrations"}
    assert packages - set(MAY_IMPORT) - ENTRANCES == set()
