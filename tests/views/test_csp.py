"""Every page carries the Content-Security-Policy: everything from our own origin, nothing inline,
no plugins, no framing; enforced in production, report-only when DEBUG (issue 14, defect 9).

The browser test (tests/browser/test_csp_browser.py) shows the pages and the admin work under it.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent

EXPECTED = {
    "default-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
}


def directives(header: str) -> dict[str, set[str]]:
    parts = [part.split() for part in header.split(";") if part.strip()]
    return {name: set(values) for name, *values in parts}


def settings_with(**env: str) -> dict:
    """The two policy settings as config/settings.py makes them from `env` (a fresh process)."""
    unset = {"DEBUG", "SECRET_KEY", "CSP_REPORT_ONLY"}
    base = {k: v for k, v in os.environ.items() if k not in unset}
    code = (
        "import django, json; from django.conf import settings; django.setup();"
        "print(json.dumps([settings.CONTENT_SECURITY_POLICY, settings.CONTENT_SECURITY_POLICY_REPORT_ONLY]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", "SECRET_KEY": "x", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    enforced, report_only = json.loads(result.stdout)
    return {"enforced": enforced, "report_only": report_only}


@pytest.mark.django_db
def test_a_public_page_has_the_enforced_policy(client, item_factory):
    item = item_factory()
    for url in ("/", item.get_absolute_url(), "/search/?q=growth"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert directives(response["Content-Security-Policy"]) == EXPECTED, url
        assert "Content-Security-Policy-Report-Only" not in response, url


@pytest.mark.django_db
def test_an_admin_page_has_the_enforced_policy(staff_client, item_factory):
    item = item_factory()
    for url in ("/admin/", f"/admin/catalogue/item/{item.pk}/change/"):
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert directives(response["Content-Security-Policy"]) == EXPECTED, url


def test_production_enforces_and_debug_only_reports():
    production = settings_with(DEBUG="false")
    assert production["report_only"] is None
    assert directives_of(production["enforced"]) == EXPECTED

    debug = settings_with(DEBUG="true")
    assert debug["enforced"] is None
    assert directives_of(debug["report_only"]) == EXPECTED

    # a developer may try the enforced policy locally
    assert settings_with(DEBUG="true", CSP_REPORT_ONLY="false") == production


def directives_of(policy: dict) -> dict[str, set[str]]:
    return {name: set(values) for name, values in policy["DIRECTIVES"].items()}


@pytest.mark.django_db
def test_in_debug_the_page_carries_the_policy_as_report_only(client, settings, item_factory):
    debug = settings_with(DEBUG="true")
    settings.CONTENT_SECURITY_POLICY = debug["enforced"]
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = debug["report_only"]
    response = client.get(item_factory().get_absolute_url())
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
    assert directives(response["Content-Security-Policy-Report-Only"]) == EXPECTED


INLINE_CODE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*\btype=\"application/(?:ld\+)?json\")[^>]*>"  # an inline script
    r"|<style\b|\sstyle=|\son[a-z]+=|javascript:",  # inline styles, handlers, script addresses
    re.IGNORECASE,
)


#: Templates no browser loads under the site's policy: e-mail bodies, which mail clients show
#: with inline styles only (they drop <link> stylesheets), and which must hold no script either.
MAIL = ROOT / "templates" / "mail"
INLINE_SCRIPT = re.compile(r"<script|\son[a-z]+=|javascript:", re.IGNORECASE)


def test_no_template_holds_inline_script_or_style():
    """What the policy would refuse, in any template (the browser test sees only the pages it visits)."""
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        if MAIL not in path.parents
        for match in INLINE_CODE.finditer(path.read_text())
    ]
    assert found == []


def test_mail_templates_hold_styles_but_no_script():
    mail = sorted(MAIL.rglob("*.html"))
    assert mail
    assert [f"{path.name}: {m.group(0)}" for path in mail for m in INLINE_SCRIPT.finditer(path.read_text())] == []


@pytest.mark.parametrize(
    "snippet",
    ["<script>x()</script>", '<p style="color: red">', '<a onclick="x()">', '<a href="javascript:x()">', "<style>"],
)
def test_the_template_check_sees_inline_code(snippet):
    assert INLINE_CODE.search(snippet)


@pytest.mark.parametrize(
    "snippet", ['<script src="/static/x.js"></script>', '<script type="application/ld+json">', '<p class="x">']
)
def test_the_template_check_lets_files_and_data_pass(snippet):
    assert not INLINE_CODE.search(snippet)
