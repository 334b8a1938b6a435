import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from ecomops_helpers import plots  # noqa: E402


def test_chinese_renders_without_missing_glyphs(tmp_path):
    family = plots.apply_theme()
    assert family
    fig, ax = plt.subplots()
    ax.set_title("每日GMV vs 目标 · 跳失率")
    ax.plot([1, 2], [3, 4], label="直通车")
    ax.legend()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font" would raise here
        fig.savefig(tmp_path / "zh.png")
    plt.close(fig)
    font = matplotlib.font_manager.findfont(matplotlib.font_manager.FontProperties(family=family))
    assert "dejavu" not in font.lower()
