"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser).

Skipped with a reason when the binary is missing; .ci/run installs it so CI runs them.
"""

import os
import shutil

import pytest

CHROMIUM = "/usr/lib/chromium/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
]

# Playwright's sync API runs an event loop; the ORM calls in these tests are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM) or shutil.which("chromium"):
        return
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}: apt-get install chromium (.ci/run does)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    path = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    return {**browser_type_launch_args, "executable_path": path, "args": FLAGS, "headless": True}
