"""Playwright (sync API) driving Debian's chromium against pytest-django's live server.

Never downloads a browser: launches /usr/bin/chromium. Without it the tests are skipped (the
`browser` marker, see tests/plugins/services.py) unless REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="package")
def chromium():
    """One browser for this package's tests, closed after the last one.

    Playwright's sync API runs an event loop in this thread, which Django's ORM refuses by default; the
    override is set only while the browser is open, so it does not leak into other tests (or into the
    subprocesses they start, e.g. `manage.py check --deploy`, which rejects it).
    """
    from playwright.sync_api import sync_playwright

    from tests.plugins.services import chromium_path

    path = chromium_path()
    if path is None:
        pytest.skip("needs Debian's chromium package (apt-get install chromium)")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(chromium):
    """A new page; after the test, every HTML page it visited must have carried a Content-Security-Policy
    and no page may have reported a CSP violation (an inline script or style without the nonce)."""
    contexts = []
    documents: list[tuple[str, str | None]] = []
    violations: list[str] = []

    def watch(page):
        page.on(
            "response",
            lambda r: documents.append((r.url, r.headers.get("content-security-policy")))
            if r.request.resource_type == "document"
            else None,
        )
        page.on(
            "console",
            lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
        )

    def make(*, mobile: bool = False):
        if mobile:
            ctx = chromium.new_context(
                viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
            )
        else:
            ctx = chromium.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(15000)
        watch(page)
        return page

    yield make
    for ctx in contexts:
        ctx.close()
    assert documents, "the test visited no page"
    missing = [url for url, policy in documents if not policy or "default-src 'self'" not in policy]
    assert not missing, f"pages without a Content-Security-Policy: {missing}"
    assert not violations, f"CSP violations: {violations}"


def shot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit].btn-block")
    page.wait_for_load_state()
