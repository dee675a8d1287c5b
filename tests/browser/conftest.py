import os
import shutil

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    # This machine's network is closed: without these, Chromium keeps trying to reach Google's services.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    path = os.environ.get("CLUEBENCH_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Debian's chromium is needed for the browser tests: apt-get install chromium (.ci/run does this)")
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


#: Playwright evaluates the tests' wait conditions as strings, which the app's content security policy forbids
#: (no eval). The tests' own contexts bypass the policy; test_csp.py loads the pages under it.
CONTEXT = {"viewport": {"width": 1280, "height": 800}, "bypass_csp": True}


@pytest.fixture
def page(browser):
    context = browser.new_context(**CONTEXT)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
