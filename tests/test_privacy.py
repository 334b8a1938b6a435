"""Customer IDs: masks that hold for any ID and cannot be reversed; raw IDs owner-only."""

import hashlib
import stat

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecomops_helpers import privacy
from ecomops_helpers.customers import segments
from ecomops_helpers.customers.review import write_id_list
from ecomops_helpers.errors import ExportError
from ecomops_helpers.exports import folder
from ecomops_helpers.exports.cache import ExportCache
from ecomops_helpers.exports.reading import inspect_file, read_export
from ecomops_helpers.run.runner import run_reports
from ecomops_helpers.safe_csv import FORMULA_STARTS

HOSTILE_IDS = [
    "@alice",
    "@",
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "-2+3",
    "ann@example.com",
    "x" * 5000,
    "顾客小明",
    "   ",
    "",
    "\t=1",
]


@pytest.mark.parametrize("customer_id", HOSTILE_IDS)
def test_any_id_masks_without_showing_it_or_a_formula(customer_id):
    masked = segments.mask_id(customer_id)
    assert "·" in masked and not masked.startswith(FORMULA_STARTS)
    local = customer_id.split("@")[0].strip()
    assert len(local) <= 2 or local not in masked
    assert "example" not in masked


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_every_text_masks(customer_id):
    masked = segments.mask_id(customer_id)
    assert masked.count("·") >= 1 and not masked.startswith(FORMULA_STARTS)


def test_a_mask_cannot_be_narrowed_by_hashing_guesses(tmp_path, monkeypatch):
    """The old mask's four hex digits were sha1(id)[:4]: anyone could test candidate IDs."""
    key = tmp_path / "mask.key"
    key.write_text("ab" * 32, encoding="ascii")  # a fixed secret: the outcome is fixed too
    monkeypatch.setenv("ECOMOPS_SECRET_FILE", str(key))
    real = "tb12345673"
    tag = segments.mask_id(real).split("·")[1]
    guesses = [f"tb{n:07d}3" for n in range(100_000)]
    unsalted = [g for g in guesses if hashlib.sha1(g.encode()).hexdigest()[:4] == tag]
    assert real not in unsalted  # the tag no longer comes from the ID alone


def test_the_secret_is_kept_owner_only_outside_the_reports(tmp_path, monkeypatch):
    path = tmp_path / "cfg" / "mask.key"
    monkeypatch.setenv("ECOMOPS_SECRET_FILE", str(path))
    first = segments.mask_id("tb1")
    assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert segments.mask_id("tb1") == first  # stable while the secret stays
    other = tmp_path / "other.key"
    other.write_text("ef" * 32, encoding="ascii")  # another install's secret
    monkeypatch.setenv("ECOMOPS_SECRET_FILE", str(other))
    assert segments.mask_id("tb1") != first  # its masks are its own


def test_crm_lists_are_owner_only_and_formula_safe(tmp_path):
    t = pd.DataFrame({"spend": [1.0] * len(HOSTILE_IDS)}, index=pd.Index(HOSTILE_IDS))
    path = write_id_list(t, tmp_path / "segments" / "l.csv")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    back = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, dtype=str)
    assert not back["customer_id"].str.startswith(("=", "+", "-", "@")).any()


def test_parse_cache_entries_are_owner_only(tmp_path):
    data = tmp_path / "orders.csv"
    data.write_text("a\n1\n", encoding="utf-8")
    cache = ExportCache(tmp_path / "cache")
    cache.store_frame(data, pd.DataFrame({"customer_id": ["tb1"]}))
    entries = list((tmp_path / "cache").iterdir())
    assert entries and all(stat.S_IMODE(e.stat().st_mode) == 0o600 for e in entries)
    assert stat.S_IMODE((tmp_path / "cache").stat().st_mode) == 0o700


def test_make_private_on_a_folder_and_a_file(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("1")
    assert stat.S_IMODE(privacy.make_private(f).stat().st_mode) == 0o600
    assert stat.S_IMODE(privacy.make_private(tmp_path).stat().st_mode) == 0o700


EMAIL = "leak.me.please@example.com"
PERSONAL = [EMAIL, "+8613900000047", "13900000047", "+86 139 0000 0047", "(555) 123-4567"]


@pytest.mark.parametrize("cell", PERSONAL)
def test_a_personal_looking_cell_is_quoted_masked(cell):
    quoted = privacy.quote_cell(cell, "paid_at")
    assert cell not in quoted and "example" not in quoted and privacy.mask_id(cell) in quoted


@pytest.mark.parametrize("cell", ["2026-13-45", "12,5 元", "-12.50", "abc", "20261021"])
def test_other_cells_are_quoted_as_they_are(cell):
    assert privacy.quote_cell(cell, "paid_at") == repr(cell)


def test_a_customer_id_is_masked_by_its_column_or_by_the_file_s_ids():
    assert "tb810323" not in privacy.quote_cell("tb810323", "customer_id")
    assert "tb810323" not in privacy.quote_cell("tb810323", "amount", frozenset({"tb810323"}))
    assert privacy.quote_cell("tb810323", "amount") == "'tb810323'"


ORDERS = {  # a row one field short: the next field's value lands in the column before it
    "paid_at": ("Order ID,Paid at,Customer ID,Amount", "{},12.00", "2026-10-01,tb810323,9.90"),
    "amount": ("Order ID,Amount,Customer ID,Paid at", "{},2026-10-01", "9.90,tb810323,2026-10-01"),
}


SHIFTED = [(c, raw) for c in ORDERS for raw in (EMAIL, "+86 139 0000 0047", "tb810323")]
SHIFTED += [("paid_at", "+8613900000047"), ("paid_at", "13900000047")]  # amounts elsewhere


@pytest.mark.parametrize("column,raw", SHIFTED)
@pytest.mark.parametrize("line", [3, 4], ids=["middle", "last"])
def test_a_shifted_row_s_error_names_file_column_and_row_not_the_value(
    export_dir, column, raw, line
):
    header, shifted, good = ORDERS[column]
    rows = [f"1,{good}", f"2,{good}"]
    rows.insert(line - 2, f"3,{shifted.format(raw)}")
    path = export_dir / "orders.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    with pytest.raises(ExportError) as err:
        read_export(inspect_file(path))
    text = str(err.value)
    assert raw not in text and "example" not in text, text
    assert "orders.csv" in text and f"row {line}" in text, text
    assert line == 4 or f"({column})" in text, text  # a cut last row names no column


def test_two_versions_of_a_row_are_told_without_a_personal_value():
    dup = pd.DataFrame(
        {"date": [pd.Timestamp("2026-10-01")] * 2, "source": ["搜索"] * 2}
        | {"visitors": [EMAIL, "12"], "_file": ["a.csv", "b.csv"], "_row": [2, 5]}
    )
    err = folder._conflict_error(dup, ["date", "source"], ["date", "source", "visitors"])
    assert EMAIL not in str(err) and "a.csv row 2 vs b.csv row 5" in str(err)
    assert "'搜索'" in str(err)  # the key, not personal, as it is


@pytest.mark.slow
def test_a_run_over_shifted_rows_shows_no_raw_value_outside_the_crm_lists(export_dir, tmp_path):
    head = "Order ID,Paid at,Customer ID,Amount\n"
    good = [f"{n},2026-10-{n:02d} 10:00,tb{n % 3},{n}9.90\n" for n in range(1, 9)]
    (export_dir / "orders.csv").write_text(head + "".join(good), encoding="utf-8")
    for name, raw in (("mail", EMAIL), ("phone", "+8613900000047"), ("mobile", "13900000047")):
        shifted = f"{good[0]}20,{raw},12.00\n{good[1]}"
        (export_dir / f"orders_{name}.csv").write_text(head + shifted, encoding="utf-8")
    run = run_reports(
        export_dir, "2026-10-21", tmp_path / "out", ["customer_segmentation"], progress=str
    )
    written = [p for p in run.folder.rglob("*") if p.is_file() and "segments" not in p.parts]
    assert {"index.html", "summary.json", "customer_segmentation.html"} <= {p.name for p in written}
    data = b"\n".join(p.read_bytes() for p in written)
    assert all(f"orders_{n}.csv".encode() in data for n in ("mail", "phone", "mobile"))
    for raw in (EMAIL, "8613900000047", "13900000047", "example.com"):
        assert raw.encode() not in data, raw
