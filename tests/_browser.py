"""Headless Debian chromium for the browser tests, started the same way everywhere."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

__all__ = ["REASON", "available", "chromium"]

REASON = "needs Debian's chromium and chromium-driver (`make browser` installs them)"


def available() -> bool:
    return bool(shutil.which("chromium") and shutil.which("chromedriver"))


def chromium(profile: Path) -> Any:
    """A selenium driver of headless chromium with a fresh profile, console logs kept.

    The flags keep chromium off the network it cannot reach here (background updates,
    first-run pages), which would otherwise slow every start.
    """
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    for flag in [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        f"--user-data-dir={profile}",
    ]:
        options.add_argument(flag)
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver"))
    return webdriver.Chrome(options=options, service=service)
