"""Convert Alibaba's EMBER product-matching pairs (real Taobao titles) into the shared format.

EMBER (Wang et al., 2022, https://github.com/tshu-w/ember, ``data/ali/datasets``) labels pairs
of real Taobao listings as the same product or not; its negatives are hard (same fine
category, similar titles). It is the Chinese set of ``bench_matcher.py``. The data is not
redistributed here: point this script at a copy of the repository's ``datasets`` folder.

Run: ``.venv/bin/python benchmarks/ember_pairs.py EMBER_DATASETS OUT_DIR`` writes
``Ali-<category>-{train,valid,test}.txt`` (``LEFT<TAB>RIGHT<TAB>LABEL``, see ``pairs.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

SPLITS = {"train": "train", "val": "valid", "test": "test"}


def _side(title: str) -> str:
    return "COL title VAL " + " ".join(str(title).replace("\t", " ").split())


def convert(datasets: Path, out: Path) -> list[Path]:
    """Write one shared-format file per category and split; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for category in sorted(p for p in datasets.iterdir() if p.is_dir()):
        for split, name in SPLITS.items():
            source = category / f"{split}.parquet"
            if not source.exists():
                continue
            d = pd.read_parquet(source, columns=["title_left", "title_right", "label"])
            lines = (
                _side(a) + "\t" + _side(b) + f"\t{int(y)}"
                for a, b, y in zip(d["title_left"], d["title_right"], d["label"])
            )
            target = out / f"Ali-{category.name}-{name}.txt"
            target.write_text("\n".join(lines) + "\n", encoding="utf-8")
            written.append(target)
    return written


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    files = convert(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"wrote {len(files)} files to {sys.argv[2]}")
    sys.exit(0 if files else 1)
