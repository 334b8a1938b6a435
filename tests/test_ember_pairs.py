"""EMBER's Chinese pairs (parquet, one folder per category) converted into the shared format."""

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from ember_pairs import convert  # noqa: E402  (the converter the Chinese bench uses)
from pairs import read_pairs  # noqa: E402


def test_each_category_and_split_becomes_a_pair_file_the_bench_reads(tmp_path):
    rows = pd.DataFrame(
        {
            "title_left": ["牛仔外套女宽松韩版\t2020新款", "男鞋 冬季运动鞋"],
            "title_right": ["2020新款 牛仔外套女 宽松", "女士 单肩包"],
            "label": [1, 0],
            "cluster_id_left": [7, 8],
        }
    )
    for category in ("clothing", "shoes"):
        (tmp_path / "in" / category).mkdir(parents=True)
        rows.to_parquet(tmp_path / "in" / category / "val.parquet")
    rows.to_parquet(tmp_path / "in" / "shoes" / "train.parquet")
    written = convert(tmp_path / "in", tmp_path / "out")
    assert sorted(p.name for p in written) == [
        "Ali-clothing-valid.txt",
        "Ali-shoes-train.txt",
        "Ali-shoes-valid.txt",
    ]
    pairs = read_pairs(tmp_path / "out" / "Ali-clothing-valid.txt")
    assert pairs["title_a"].tolist() == ["牛仔外套女宽松韩版 2020新款", "男鞋 冬季运动鞋"]
    assert pairs["label"].tolist() == [1, 0] and pairs["price_a"].isna().all()
