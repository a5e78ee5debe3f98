"""Browser fixtures: the built site served on 127.0.0.1 and one Chromium tab that records errors
and blocks (and records) every request that would leave the machine."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.site.browsing import serve_directory

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic"]
# Material draws Mermaid into a *closed* shadow root; open it so the test can look inside.
OPEN_SHADOW_ROOTS = """
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) { return attach.call(this, {...init, mode: "open"}); };
"""


def chromium_executable() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser",
                      "/usr/bin/google-chrome", shutil.which("chromium"), shutil.which("google-chrome")):
        if candidate and Path(candidate).exists():
            return candidate
    return None  # Playwright's own browser, where `playwright install chromium` was run


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    args = {**browser_type_launch_args, "args": CHROMIUM_ARGS}
    executable = chromium_executable()
    if executable:
        args["executable_path"] = executable
    return args


@pytest.fixture(scope="session")
def base_url(site):
    with serve_directory(site) as url:
        yield url


def watched_tab(context):
    """A tab that records its console errors and blocks (and records) requests leaving 127.0.0.1."""
    page = context.new_page()
    page.console_errors, page.outside = [], []

    def guard(route):
        if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:", "file:")):
            route.continue_()
        else:
            page.outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda err: page.console_errors.append(str(err)))
    return page


@pytest.fixture(scope="session")
def reader_context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(OPEN_SHADOW_ROOTS)
    yield context
    context.close()


@pytest.fixture(scope="session")
def reader(reader_context, base_url):
    """One watched tab for the whole session."""
    return watched_tab(reader_context)


@pytest.fixture(scope="session")
def offline_root(tmp_path_factory):
    """`make offline`'s ZIP, unzipped elsewhere, as a reader would after downloading it."""
    import zipfile

    from scripts.build_offline import NAME, build_offline

    out = tmp_path_factory.mktemp("offline")
    archive = build_offline(out)
    target = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(target)
    return target / NAME
