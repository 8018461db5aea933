"""Browser tests: Debian's Chromium (never a downloaded browser) against Django's live server."""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the live server and Playwright share a thread
CHROMIUM = os.environ.get("SANPIN_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(os.environ.get("SANPIN_SCREENSHOT_DIR", "var/test-screenshots"))
# A loaded CI machine (two suites and the browser on two cores) can take longer than Playwright's
# 5 s default to answer a form post; a real failure still fails, only later.
expect.set_options(timeout=15_000)


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM) is None:
        # `make test` installs Chromium when run as root; anywhere else the tests say why they stop.
        marker = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}: apt-get install chromium")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(marker)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 1366, "height": 900}}


@pytest.fixture
def shot(page):
    """`shot("name")` saves a full-page screenshot for people to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(name):
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    return take
