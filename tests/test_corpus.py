"""The hostile-input corpus (``tests/corpus``): every case ends as README.md's table says;
and any table written in any supported format and encoding reads back equal."""

import re
import sys
import zipfile
from io import BytesIO
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecomops_helpers.customers.review import build_customer_review
from ecomops_helpers.errors import ExportError
from ecomops_helpers.exports import ExportFolder

CORPUS = Path(__file__).parent / "corpus"
sys.path.insert(0, str(CORPUS))
from make_corpus import cases, readme, write  # noqa: E402  (the corpus's own script)

CASES = {c.name: c for c in cases()}


def test_the_committed_corpus_is_what_its_script_writes(tmp_path):
    write(tmp_path)
    for case in cases():
        for name in case.files:
            assert (CORPUS / case.name / name).read_bytes() == (
                tmp_path / case.name / name
            ).read_bytes(), f"{case.name}/{name}: run tests/corpus/make_corpus.py"
    assert (CORPUS / "README.md").read_text(encoding="utf-8") == readme(cases())


@pytest.mark.parametrize("name", list(CASES))
def test_case(name):
    case = CASES[name]
    folder = ExportFolder(CORPUS / name, cache=None)
    if case.outcome == "reads":
        assert len(folder.load(case.kind)) == case.rows
    elif case.outcome == "error":
        with pytest.raises(ExportError, match=case.says):
            folder.load(case.kind)
    elif case.outcome == "unreadable":
        assert not folder.has(case.kind)
        [f] = folder.unmatched
        assert f.problem and re.search(case.says, f.problem), f.problem
    else:  # warns
        review = build_customer_review(folder, "2026-10-21", lang="en")
        assert any(re.search(case.says, w) for w in review.warnings), review.warnings


# ---------------------------------------------------------------- property: any table reads back

HEADERS = {
    "zh": ["统计日期", "访客数", "支付买家数", "支付金额"],
    "en": ["Day", "Sessions", "Customers", "Total sales"],
}


def _write(df: pd.DataFrame, path: Path, fmt: str, title: bool) -> Path:
    """``df`` as a platform writes it: ``fmt`` is csv-utf8, csv-bom, csv-gb18030, tsv-utf16,
    xlsx, html-xls or zip."""
    top = "生意参谋 > 整体看板\n统计时间：2026-10-01 ~ 2026-10-21\n\n" if title else ""
    text = top + df.to_csv(index=False, lineterminator="\r\n")
    if fmt == "csv-utf8":
        path = path.with_suffix(".csv")
        path.write_bytes(text.encode("utf-8"))
    elif fmt == "csv-bom":
        path = path.with_suffix(".csv")
        path.write_bytes(text.encode("utf-8-sig"))
    elif fmt == "csv-gb18030":
        path = path.with_suffix(".csv")
        path.write_bytes(text.encode("gb18030"))
    elif fmt == "tsv-utf16":
        path = path.with_suffix(".txt")
        tsv = top + df.to_csv(index=False, sep="\t", lineterminator="\r\n")
        path.write_bytes(tsv.encode("utf-16"))
    elif fmt == "xlsx":
        path = path.with_suffix(".xlsx")
        df.to_excel(path, index=False)
    elif fmt == "html-xls":
        path = path.with_suffix(".xls")
        rows = [df.columns.tolist(), *df.astype(str).to_numpy().tolist()]
        body = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in r) + "</tr>" for r in rows)
        path.write_bytes(f"<html><body><table>{body}</table></body></html>".encode())
    else:  # a ZIP holding the CSV, as 万相台 downloads it
        path = path.with_suffix(".zip")
        buf = BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("report.csv", text.encode("utf-8-sig"))
        path.write_bytes(buf.getvalue())
    return path


tables = st.integers(1, 15).flatmap(
    lambda n: st.fixed_dictionaries(
        {
            "start": st.dates(pd.Timestamp("2019-01-01").date(), pd.Timestamp("2026-09-01").date()),
            "visitors": st.lists(st.integers(0, 5_000_000), min_size=n, max_size=n),
            "buyers": st.lists(st.integers(0, 50_000), min_size=n, max_size=n),
            "cents": st.lists(st.integers(0, 10**11), min_size=n, max_size=n),
        }
    )
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    table=tables,
    fmt=st.sampled_from(
        ["csv-utf8", "csv-bom", "csv-gb18030", "tsv-utf16", "xlsx", "html-xls", "zip"]
    ),
    lang=st.sampled_from(["zh", "en"]),
    title=st.booleans(),
    thousands=st.booleans(),
)
def test_any_table_written_in_any_format_reads_back_equal(
    tmp_path_factory, table, fmt, lang, title, thousands
):
    n = len(table["visitors"])
    days = pd.date_range(table["start"], periods=n, freq="D")
    money = [c / 100 for c in table["cents"]]
    df = pd.DataFrame(
        dict(
            zip(
                HEADERS[lang],
                [
                    days.strftime("%Y-%m-%d"),
                    [f"{v:,}" if thousands else str(v) for v in table["visitors"]],
                    table["buyers"],
                    [f"{m:,.2f}" if thousands else f"{m:.2f}" for m in money],
                ],
            )
        )
    )
    folder = tmp_path_factory.mktemp("table")
    _write(df, folder / "daily", fmt, title and lang == "zh" and fmt != "html-xls")
    back = ExportFolder(folder, cache=None).load("shop_daily")
    assert back["date"].dt.strftime("%Y-%m-%d").tolist() == days.strftime("%Y-%m-%d").tolist()
    assert back["visitors"].tolist() == table["visitors"]
    assert back["paying_buyers"].tolist() == table["buyers"]
    assert back["gmv"].round(2).tolist() == pytest.approx(money)


def test_folders_with_spaces_chinese_and_a_leading_dash_are_read(tmp_path, monkeypatch, capsys):
    from ecomops_helpers.run.cli import main

    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "-my shop 店铺"
    folder.mkdir()
    (folder / "整体看板 10月.csv").write_bytes(
        (CORPUS / "gb18030_title_rows" / "整体看板.csv").read_bytes()
    )
    assert main(["check", "--data=-my shop 店铺"]) == 0
    assert "1 file(s) read" in capsys.readouterr().out
