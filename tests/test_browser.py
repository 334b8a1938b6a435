"""The rendered reports in a real browser: headless Chromium at 390 px and 1280 px."""

import pytest

from ecomops_helpers.run.browser import WIDTHS, check_reports, why_no_browser

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(bool(why_no_browser()), reason=why_no_browser() or "browser present"),
]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_report_reads_on_a_phone_and_a_desktop(rendered, lang):
    checks = check_reports(rendered[lang])
    pages = {c.page for c in checks}
    assert pages == {
        "daily_review.html",
        "customer_segmentation.html",
        "paid_ads_audit.html",
        "competitor_tracking.html",
        "index.html",
    }
    assert {c.width for c in checks} == set(WIDTHS)
    problems = [p for c in checks for p in c.problems()]
    assert not problems
    for c in checks:
        assert c.screenshot.parent == rendered[lang] / "screenshots"
        assert c.screenshot.stat().st_size > 10_000  # a drawn page, not a blank one


def test_the_checks_catch_what_a_reader_would_see(tmp_path):
    """A page as the old default template made it: a wide table, a wrapped number, an error."""
    (tmp_path / "bad.html").write_text(
        "<!DOCTYPE html><html><head><meta name='viewport' content='width=device-width'></head>"
        "<body><div style='height:1200px'>intro</div>"
        "<div class='ecomops-card' style='width:40px;overflow-wrap:anywhere'>"
        "<span class='num'>¥1,054,512</span></div>"
        "<table style='width:2000px'><tr><td>wide</td></tr></table><img alt='chart' "
        "src='data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNk"
        "YAAAAAYAAjCB0C8AAAAASUVORK5CYII=' style='width:1500px'>"
        "<script>console.error('boom')</script></body></html>",
        encoding="utf-8",
    )
    phone = check_reports(tmp_path, widths=(390,), screenshots=False)[0]
    text = "\n".join(phone.problems())
    assert "scrolls sideways" in text
    assert "below the first screen" in text
    assert "image wider than the screen: chart" in text
    assert "number broken across lines: ¥1,054,512" in text
    assert "browser console error: boom" in text
