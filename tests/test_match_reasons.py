"""Why two listings were taken for one product (同款): the reasons, worded in both languages."""

import pandas as pd
import pytest

from ecomops_helpers.exports import ExportFolder
from ecomops_helpers.page.i18n import LANGUAGES, Messages, catalogue, placeholders
from ecomops_helpers.rivals.pair_model import REASONS, reasons
from ecomops_helpers.rivals.review import build_rival_review, twins_view, why_text, write_tables

KEYS = set(REASONS)
# pairs (theirs, mine, their price, my price) that between them give every reason
PAIRS = [
    ("LG 55LE5400 55 inch LED TV", "LG LED TV 55le5400 55in", 480, 499),
    ("Kingston USB flash drive 16GB", "Kingston USB flash drive 32GB", None, None),
    ("iPhone case black", "iPhone case white", None, None),
    ("LG 55LE5400 TV black", "LG 55LE5500 TV black", None, None),
    ("Office 2007 upgrade mac", "office 2010 case", 12, 10),
]


def test_one_model_code_in_both_and_the_price_ratio():
    why = dict(reasons(*PAIRS[0]))
    assert why["code_shared"] == {"code": "55le5400"}
    assert why["price_ratio"] == {"ratio": "0.96"}  # 480 / 499: their price over mine
    assert "code_conflict" not in why


def test_another_size_and_another_colour_speak_against():
    assert dict(reasons(*PAIRS[1]))["unit_conflict"] == {"a": "16gb", "b": "32gb"}
    assert dict(reasons(*PAIRS[2]))["colour_conflict"] == {"a": "black", "b": "white"}
    assert "price_ratio" not in dict(reasons(*PAIRS[1]))  # no prices, no ratio


def test_every_reason_is_worded_in_both_languages_with_every_value_filled():
    texts = catalogue()["rivals"]["why"]
    assert set(texts) == KEYS
    given = [r for pair in PAIRS for r in reasons(*pair)]
    assert {key for key, _ in given} == KEYS  # the pairs above give every key
    for key, values in given:
        for lang in LANGUAGES:
            assert placeholders(texts[key][lang]) == set(values), (key, lang)
            text = Messages(lang)(f"rivals.why.{key}", **values)
            assert "{" not in text and "}" not in text, (key, lang)
            assert all(v in text for v in values.values()), (key, lang)


def test_a_pair_reads_as_one_line_in_the_report_language():
    why = reasons(*PAIRS[0])
    assert why_text(why, Messages("zh")).startswith("型号 55le5400 两边都有；")
    assert why_text(why, Messages("en")).endswith("; their price 0.96×")
    assert why_text([], Messages("en")) == ""


@pytest.fixture(scope="module")
def review(small_shop):
    return build_rival_review(small_shop, lang="zh")


def test_the_matches_view_says_why_each_pair_is_a_twin(review):
    assert len(review.matches) >= 1 and "shared" not in review.matches
    view = twins_view(review)
    assert "why" in view and "shared" not in view
    assert view["why"].map(lambda x: isinstance(x, str) and x.strip() != "").all()
    assert Messages("zh").column("why") == "为何同款"
    # the reasons are kept as keys and values; the view words them in the report's language
    first = review.matches["why"].iloc[0]
    assert all(key in KEYS and isinstance(values, dict) for key, values in first)
    assert view["why"].iloc[0] == why_text(first, Messages("zh"))


def test_the_twins_file_carries_the_reasons_and_is_read_back_as_answers(review, tmp_path):
    written = write_tables(review, tmp_path / "out")["twins"]
    twins = pd.read_csv(written, dtype=str, encoding="utf-8-sig")
    assert "why" in twins and "shared" not in twins
    assert twins["why"].fillna("").str.strip().ne("").all()
    back = tmp_path / "answers"
    back.mkdir()
    twins.assign(是否同款="是").to_csv(back / "twins.csv", index=False)
    folder = ExportFolder(back, cache=None)
    assert [f.kind for f in folder.files] == ["twin_answers"]
    rows = folder.load("twin_answers")
    assert len(rows) == len(twins) and set(rows["same_product"]) == {"是"}
