"""catalogue/redif/ is pure ReDIF: no Django, and of the catalogue only itself and the pure
ground-floor rule modules (catalogue.handles, catalogue.names, catalogue.jel)."""

import ast
import subprocess
import sys
from pathlib import Path

import catalogue

APP = Path(catalogue.__file__).parent
GROUND_FLOOR = {"catalogue.handles", "catalogue.names", "catalogue.jel"}


def imported(path: Path, package: str) -> set[str]:
    """The modules a file imports, relative imports resolved against its package."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            names.add(module)
            # `from . import values` imports a module too
            names.update(f"{module}.{alias.name}" for alias in node.names if not node.module)
    return names


def test_the_import_resolver_reads_relative_imports():
    source = APP / "redif" / "values.py"
    assert "catalogue.handles" in imported(source, "catalogue.redif")


def test_redif_imports_no_django_and_nothing_of_the_catalogue_but_itself_and_the_ground_floor():
    files = sorted((APP / "redif").rglob("*.py"))
    assert len(files) >= 8
    for path in files:
        for module in imported(path, "catalogue.redif"):
            assert not module.startswith("django"), f"{path.name} imports {module}"
            if module.startswith("catalogue"):
                assert module.startswith("catalogue.redif") or module in GROUND_FLOOR, f"{path.name} imports {module}"


def test_the_ground_floor_is_pure_too():
    for module in GROUND_FLOOR:
        path = APP / f"{module.removeprefix('catalogue.')}.py"
        for name in imported(path, "catalogue"):
            assert not name.startswith(("django", "catalogue")), f"{path.name} imports {name}"


def test_importing_redif_loads_no_django():
    stems = [p.stem for p in sorted((APP / "redif").glob("*.py")) if p.stem != "__init__"]
    modules = ", ".join(f"catalogue.redif.{stem}" for stem in stems)
    code = f"import sys, {modules}; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=APP.parent)
    assert out.stdout.strip() == "[]"
