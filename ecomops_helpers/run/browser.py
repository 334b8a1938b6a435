"""Open rendered reports in a real browser (headless Chromium) and check them as a reader would.

At each width (a 390 px phone, a 1280 px desktop) every page of a day's folder is loaded and
checked: the page does not scroll sideways on the phone, the first action is on the first
screen, no image is wider than the viewport, no number in the action list breaks across
lines, and the browser logs no error. A full-page screenshot of each goes to
``<day>/screenshots/<page>-<width>.png``.

Drives the system Chromium (Debian's ``chromium``) through Playwright's Python API; no
browser is downloaded. ``find_chromium`` says whether one is there.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["WIDTHS", "PageCheck", "find_chromium", "why_no_browser", "check_reports"]

WIDTHS = (390, 1280)
SCREEN_HEIGHT = 844  # a phone's first screen; the desktop's is taller
_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

_MEASURE = """() => {
  const vw = window.innerWidth;
  const first = document.querySelector('.ecomops-card, .ecomops-actions p, .report-list > li');
  const wide = [...document.images]
    .filter(i => i.getBoundingClientRect().right > vw + 1)
    .map(i => (i.alt || i.src.slice(0, 40)));
  const broken = [...document.querySelectorAll('.ecomops-card .num')]
    .filter(n => n.getClientRects().length > 1).map(n => n.textContent);
  return {
    scrollWidth: document.documentElement.scrollWidth,
    viewport: vw,
    firstTop: first ? first.getBoundingClientRect().top + window.scrollY : null,
    wideImages: wide,
    brokenNumbers: broken,
  };
}"""


def find_chromium() -> str | None:
    """The Chromium to drive: ``$ECOMOPS_CHROMIUM`` or the first one on ``PATH``."""
    given = os.environ.get("ECOMOPS_CHROMIUM")
    if given:
        return given if Path(given).exists() else None
    return next((p for name in _CANDIDATES if (p := shutil.which(name))), None)


def why_no_browser() -> str:
    """Why the browser checks cannot run here ("" when they can)."""
    if find_chromium() is None:
        return (
            "no Chromium found (install Debian's chromium and fonts-noto-cjk: "
            "`make test-browser`, or set ECOMOPS_CHROMIUM)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[dev]')"
    return ""


@dataclass
class PageCheck:
    """What one page looked like at one width."""

    page: str
    width: int
    scroll_width: int
    first_action_top: float | None
    wide_images: list[str] = field(default_factory=list)
    broken_numbers: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    screenshot: Path | None = None

    def problems(self) -> list[str]:
        """Each way the page fails a reader, as a sentence naming the page and the width."""
        where = f"{self.page} at {self.width} px"
        out = []
        if self.width <= 480 and self.scroll_width > self.width:
            out.append(f"{where}: the page scrolls sideways ({self.scroll_width} px wide)")
        if self.first_action_top is None:
            out.append(f"{where}: no action list found")
        elif self.first_action_top > SCREEN_HEIGHT:
            out.append(
                f"{where}: the first action starts at {self.first_action_top:.0f} px, "
                f"below the first screen ({SCREEN_HEIGHT} px)"
            )
        out += [f"{where}: image wider than the screen: {i}" for i in self.wide_images]
        out += [f"{where}: number broken across lines: {n}" for n in self.broken_numbers]
        out += [f"{where}: browser console error: {e}" for e in self.console_errors]
        return out


def check_reports(day: str | Path, widths=WIDTHS, screenshots: bool = True) -> list[PageCheck]:
    """Open every ``.html`` page of a day's reports folder at each width and measure it."""
    from playwright.sync_api import sync_playwright

    day = Path(day).resolve()
    pages = sorted(day.glob("*.html"))
    if not pages:
        raise FileNotFoundError(f"no rendered reports (*.html) in {day}")
    shots = day / "screenshots"
    if screenshots:
        shots.mkdir(exist_ok=True)
    results = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=find_chromium(), args=["--no-sandbox"])
        try:
            for width in widths:
                context = browser.new_context(viewport={"width": width, "height": SCREEN_HEIGHT})
                for path in pages:
                    page = context.new_page()
                    errors: list[str] = []
                    page.on(
                        "console",
                        lambda m, e=errors: e.append(m.text) if m.type == "error" else None,
                    )
                    page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
                    page.goto(path.as_uri(), wait_until="load")
                    m = page.evaluate(_MEASURE)
                    shot = shots / f"{path.stem}-{width}.png" if screenshots else None
                    if shot is not None:
                        page.screenshot(path=str(shot), full_page=True)
                    results.append(
                        PageCheck(
                            page=path.name,
                            width=width,
                            scroll_width=m["scrollWidth"],
                            first_action_top=m["firstTop"],
                            wide_images=m["wideImages"],
                            broken_numbers=m["brokenNumbers"],
                            console_errors=errors,
                            screenshot=shot,
                        )
                    )
                    page.close()
                context.close()
        finally:
            browser.close()
    return results
