"""Customer IDs: masks that hold for any ID and cannot be reversed; raw IDs owner-only."""

import hashlib
import stat

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecomops_helpers import privacy
from ecomops_helpers.customers import segments
from ecomops_helpers.exports.cache import ExportCache
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
    path = segments.write_id_list(t, tmp_path / "segments" / "l.csv")
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
