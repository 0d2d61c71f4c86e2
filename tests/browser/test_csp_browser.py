"""The Content-Security-Policy breaks nothing a reader or the staff sees: the public pages and the
admin load in a real browser under the enforced policy with no violation reported.

A violation is what the browser says it refused: a console message "Refused to ..." and a
`securitypolicyviolation` event, both collected. The last test shows the watch is not blind: an
inline script and a style attribute slipped into a served page are both reported.
"""

import re

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = "/p/ipt/iptwpa/jrc108028.html"
PUBLIC = ["/", SEED, "/search/?q=smart+specialisation", "/accounts/login/", "/admin/login/"]

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def demo(live_server, settings):
    settings.DEBUG = True  # the demo's accounts are made in DEBUG only
    call_command("load_demo", verbosity=0)
    settings.DEBUG = False
    return live_server


@pytest.fixture
def watched(page):
    """The page, and the list of CSP violations the browser reports while it is used."""
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if "Refused to" in message.text else None)
    page.add_init_script(WATCH)
    return page, refused


def visit(page, refused: list[str], url: str) -> list[str]:
    """Load `url` (it must answer 200 under the enforced policy); the violations it caused."""
    before = len(refused)
    response = page.goto(url)
    assert response.status == 200, url
    assert "default-src 'self'" in response.headers["content-security-policy"], url
    page.wait_for_load_state("load")
    return refused[before:] + page.evaluate("window.__violations")


def test_public_pages_load_with_no_violation(watched, demo):
    page, refused = watched
    for path in PUBLIC:
        assert visit(page, refused, f"{demo.url}{path}") == [], path
    # the page is what it should be, styled from our own stylesheet
    page.goto(f"{demo.url}{SEED}")
    assert page.locator("h1#title").inner_text().startswith("Implementing smart specialisation")
    assert page.evaluate("document.styleSheets.length") >= 1


def test_admin_pages_load_for_staff_with_no_violation(watched, demo):
    from catalogue.models import Item

    page, refused = watched
    page.goto(f"{demo.url}/admin/")
    page.get_by_label("Username").fill("staff")
    page.get_by_label("Password").fill("demo-staff-pass")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    assert refused + page.evaluate("window.__violations") == []

    seed = Item.objects.get(handle="RePEc:ipt:iptwpa:jrc108028")
    admin_pages = [
        "/admin/",
        "/admin/catalogue/item/",
        "/admin/catalogue/item/?q=smart",
        f"/admin/catalogue/item/{seed.pk}/change/",
        f"/admin/catalogue/item/{seed.pk}/history/",
        "/admin/catalogue/item/add/",
        "/admin/catalogue/upload-redif/",
    ]
    for path in admin_pages:
        assert visit(page, refused, f"{demo.url}{path}") == [], path
    # the admin's own scripts ran: the change form's inlines got their "Add another" links
    page.goto(f"{demo.url}/admin/catalogue/item/{seed.pk}/change/")
    assert page.locator("#id_title").input_value().startswith("Implementing smart specialisation")
    assert page.evaluate("typeof django !== 'undefined' && typeof django.jQuery === 'function'")


def test_an_inline_script_or_style_is_reported(watched, demo):
    page, refused = watched

    def slip_inline_code_in(route):
        response = route.fetch()
        body = response.text().replace(
            "</body>", '<script>document.title = "ran";</script><p style="color: red">x</p></body>'
        )
        route.fulfill(response=response, body=body)

    page.route(re.compile(re.escape(SEED) + "$"), slip_inline_code_in)
    violations = visit(page, refused, f"{demo.url}{SEED}")
    assert page.title() != "ran"  # blocked, not just reported
    assert any("script" in v for v in violations), violations
    assert any("style" in v for v in violations), violations
