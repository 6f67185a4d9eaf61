"""Debian's Chromium for the browser tests: where it is, how it starts, what to do without it.

Playwright never downloads a browser here (no internet); `.ci/run` installs Debian's package.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",  # tests and CI run as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MISSING = "Chromium not installed at /usr/bin/chromium: apt-get install chromium"


def in_ci(environ=os.environ):
    """True where the environment says CI (CI=true, as CI runs .ci/run)."""
    return environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require_chromium(path=CHROMIUM, environ=os.environ):
    """Skips the browser tests where Chromium is missing, with the command that installs it;
    in CI a missing Chromium fails the run instead, so that the tests never go quietly unrun."""
    if path.exists():
        return
    if in_ci(environ):
        pytest.fail(MISSING + " (CI must run the browser tests)", pytrace=False)
    pytest.skip(MISSING)


def launch(playwright):
    """Headless Debian Chromium driven by Playwright."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
