"""The API's docs page (Swagger UI from ninja's own static files) renders in a real browser under
the enforced Content-Security-Policy, lists the operations and runs one ("Try it out")."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_docs_page_renders_and_calls_the_api(page, live_server):
    call_command("load_demo", verbosity=0)
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if "Refused to" in message.text else None)
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(live_server.url) else outside.append(r.url))
    response = page.goto(f"{live_server.url}/api/v1/docs")
    assert response.status == 200
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.locator(".opblock-summary-path").first.wait_for()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/search" in paths
    assert "/api/v1/items/{handle}" in paths
    page.locator("#operations-archives_and_series-archives").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    page.locator(".live-responses-table tbody .response-col_status").first.wait_for()
    assert "200" in page.locator(".live-responses-table tbody .response-col_status").first.inner_text()
    assert "Joint Research Centre" in page.locator(".live-responses-table").inner_text()
    assert refused == []
    assert outside == []
