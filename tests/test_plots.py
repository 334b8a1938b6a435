import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from ecomops_helpers.ads import review as ads_review  # noqa: E402
from ecomops_helpers.customers import review as customers
from ecomops_helpers.daily import review as daily
from ecomops_helpers.daily import views
from ecomops_helpers.page import plots
from ecomops_helpers.page.i18n import Messages, leaves  # noqa: E402
from ecomops_helpers.rivals import review as competitor_review

T = Messages("zh")


def test_chinese_renders_without_missing_glyphs(tmp_path):
    family = plots.apply_theme()
    assert family
    fig, ax = plt.subplots()
    ax.set_title("每日GMV与目标 · 跳失率")
    ax.plot([1, 2], [3, 4], label="直通车")
    ax.legend()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font" would raise here
        fig.savefig(tmp_path / "zh.png")
    plt.close(fig)
    font = matplotlib.font_manager.findfont(matplotlib.font_manager.FontProperties(family=family))
    assert "dejavu" not in font.lower()


def test_a_missing_glyph_is_caught(tmp_path):
    """The check below is real: with a Latin-only font, Chinese text warns."""
    plots.apply_theme()
    fig, ax = plt.subplots()
    ax.set_title("跳失率", fontfamily="DejaVu Sans")
    with pytest.raises(UserWarning, match="missing from font"):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fig.savefig(tmp_path / "tofu.png")
    plt.close(fig)


@pytest.fixture(scope="module")
def reviews(sample_dir):
    return (
        daily.build_daily_review(sample_dir, lang="zh"),
        customers.build_customer_review(sample_dir, lang="zh"),
        ads_review.build_ad_audit(sample_dir, lang="zh"),
        competitor_review.build_rival_review(sample_dir, lang="zh"),
    )


def _every_chart(d, c, a, r):
    """Each chart function of plots.py, drawn as the reports draw it, with Chinese labels."""
    th = d.thresholds
    when = d.report_date
    return {
        "plan_chart": lambda: plots.plan_chart(d.pacing, T),
        "waterfall_chart": lambda: plots.waterfall_chart(views.bridge_focus(d), T),
        "source_mix_chart": lambda: plots.source_mix_chart(d.sources, when, 30, T),
        "anomaly_chart": lambda: plots.anomaly_chart(d.anomalies, 60, T),
        "health_chart": lambda: plots.health_chart(
            d.shop, when, 30, [("bounce_rate", th.bounce_max, False)], T
        ),
        "hero_chart": lambda: plots.hero_chart(d.items, d.heroes, when, 45, T),
        "profit_chart": lambda: plots.profit_chart(d.profit, T),
        "bar_chart": lambda: plots.bar_chart(
            c.segment_counts.rename(index=T.term), T("charts.segments"), horizontal=True
        ),
        "stacked_months_chart": lambda: plots.stacked_months_chart(c.months, T),
        "heatmap": lambda: plots.heatmap(c.category_mix, T("charts.category_mix")),
        "holdout_chart": lambda: plots.holdout_chart(c.holdout, T),
        "ad_trend_chart": lambda: plots.ad_trend_chart(
            *ads_review.trend_of_currency(a), a.thresholds.break_even, T
        ),
        "price_history_chart": lambda: plots.price_history_chart(r.price_history, T),
        "launch_chart": lambda: plots.launch_chart(r.launches, T),
    }


def test_every_chart_type_draws_chinese_without_a_missing_glyph(reviews, tmp_path):
    charts = _every_chart(*reviews)
    drawn = set(plots.__all__) - {"use_cjk_font", "apply_theme"}
    assert set(charts) == drawn, "a chart type of plots.py is not drawn here"
    plots.apply_theme()
    for name, draw in charts.items():
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # "Glyph … missing from font" raises
            fig = draw()
            fig.savefig(tmp_path / f"{name}.png")
        plt.close(fig)


def _english_names() -> set[str]:
    """Canonical column and vocabulary names, and their English words where Chinese has its own."""
    names = set()
    for key, leaf in leaves().items():
        group, _, name = key.partition(".")
        if group in ("columns", "terms") and "." not in name:
            names |= {name, leaf["en"]} if leaf["en"] != leaf["zh"] else {name}
    return names


def test_every_chart_text_is_chinese_never_a_column_name(reviews):
    english = _english_names()
    plots.apply_theme()
    for name, draw in _every_chart(*reviews).items():
        fig = draw()
        fig.canvas.draw()  # tick labels exist once drawn
        texts = {t.get_text().strip() for t in fig.findobj(matplotlib.text.Text)}
        plt.close(fig)
        assert not texts & english, (name, texts & english)


@pytest.mark.parametrize("name", ["$$ 双11大促 $$", "满$99减$10", r"$\frac{1}{0}$ 计划", "$"])
def test_names_from_exports_are_drawn_as_written_never_as_math(name, tmp_path):
    plots.apply_theme()
    fig = plots.bar_chart(pd.Series([3.0, 1.0], index=[name, "直通车"]), name, horizontal=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(tmp_path / "names.png")  # math parsing of "$$ … $$" raised here before
    texts = [t.get_text() for t in fig.axes[0].get_yticklabels()] + [fig.axes[0].get_title()]
    assert name in texts
    label = next(t for t in fig.axes[0].get_yticklabels() if t.get_text() == name)
    assert label._preprocess_math(name) == (name, False)  # drawn as plain text
    plt.close(fig)
