"""A shop that does not sell in yuan: the currency comes from the exports, else the parameter.

Each shop is written in its platform's layout: a Shopify orders export (its Currency column),
a plain transaction log headed ``Total (GBP)``, a log without any mark run with
``--currency BRL``, and an English daily export with ``$`` cells.
"""

import re

import numpy as np
import pandas as pd
import papermill
import pytest

from ecomops_helpers.errors import ExportError
from ecomops_helpers.exports import ExportFolder
from ecomops_helpers.page import formatting as fmt
from ecomops_helpers.paths import NOTEBOOKS_DIR
from ecomops_helpers.run.cli import main

rng = np.random.default_rng(7)
DAYS = pd.date_range("2025-09-01", "2026-10-21", freq="D")


def _purchases(n_customers=150, n_orders=600):
    who = rng.integers(0, n_customers, n_orders)
    when = DAYS[rng.integers(0, len(DAYS), n_orders)]
    amount = rng.gamma(2.0, 30.0, n_orders).round(2)
    return pd.DataFrame({"who": who, "when": when, "amount": amount}).sort_values("when")


def _shopify(d):
    p = _purchases()
    rows = pd.DataFrame(
        {
            "Name": [f"#{1000 + i}" for i in range(len(p))],
            "Email": [f"c{w}@example.com" for w in p["who"]],
            "Financial Status": "paid",
            "Paid at": p["when"].dt.strftime("%Y-%m-%d 10:00:00 -0400"),
            "Currency": "USD",
            "Total": p["amount"],
            "Lineitem quantity": 1,
            "Lineitem name": "Storage bin",
            "Lineitem price": p["amount"],
        }
    )
    rows.to_csv(d / "orders_export.csv", index=False)


def _log(d, header):
    p = _purchases()
    pd.DataFrame(
        {"customer_id": p["who"], "date": p["when"].dt.strftime("%Y-%m-%d"), header: p["amount"]}
    ).to_csv(d / "transactions.csv", index=False)


def _english_daily(d):
    n = len(DAYS)
    visitors = rng.integers(800, 1200, n)
    buyers = (visitors * 0.03).astype(int)
    gmv = buyers * rng.normal(55, 5, n)
    pd.DataFrame(
        {
            "Date": DAYS.strftime("%Y-%m-%d"),
            "Sessions": visitors,
            "Customers": buyers,
            "Orders": buyers,
            "Total sales": [f"${x:,.2f}" for x in gmv],
        }
    ).to_csv(d / "sales_over_time.csv", index=False)


@pytest.mark.parametrize(
    ("write", "code"),
    [
        (_shopify, "USD"),
        (lambda d: _log(d, "Total (GBP)"), "GBP"),
        (lambda d: _log(d, "amount_usd"), "USD"),
        (_english_daily, "USD"),
    ],
    ids=["shopify-currency-column", "header-gbp", "header-usd", "dollar-cells"],
)
def test_the_exports_name_their_currency(export_dir, write, code):
    write(export_dir)
    folder = ExportFolder(export_dir, cache=None)
    kinds = [k for k in ("orders", "shop_daily") if folder.has(k)]
    for k in kinds:
        folder.load(k)
    assert folder.currency(kinds, "CNY") == (code, "exports")


def test_real_cells_and_taobao_headers():
    from ecomops_helpers.exports.cells import currencies_in

    assert currencies_in(["R$ 1.234,50"]) == {"BRL"}
    assert currencies_in(["£4.50"]) == {"GBP"} and currencies_in(["Rs.99"]) == {"INR"}
    assert currencies_in(["1,234", "--"]) == set()


def test_two_currencies_are_an_error_never_a_sum(export_dir):
    _log(export_dir, "Total (GBP)")
    _shopify(export_dir)
    folder = ExportFolder(export_dir, cache=None)
    folder.load("orders")
    with pytest.raises(ExportError, match="more than one currency: .*GBP.*USD|USD.*GBP"):
        folder.currency(["orders"], "CNY")


def test_no_mark_takes_the_parameter_and_says_so(export_dir):
    _log(export_dir, "amount")
    folder = ExportFolder(export_dir, cache=None)
    folder.load("orders")
    assert folder.currency(["orders"], "brl") == ("BRL", "parameter")
    assert fmt.money(12.5, "en", currency="BRL") == "R$12.50"


def _page(day, name) -> str:
    text = (day / f"{name}.html").read_text(encoding="utf-8")
    return re.sub(r"<style>.*?</style>", "", text, flags=re.S)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("write", "extra", "symbol", "assumed"),
    [
        (_shopify, [], "$", False),
        (lambda d: _log(d, "Total (GBP)"), [], "£", False),
        (lambda d: _log(d, "amount"), ["--currency", "BRL"], "R$", True),
    ],
    ids=["usd", "gbp", "brl"],
)
def test_customer_report_in_the_shops_currency(
    export_dir, tmp_path, capsys, write, extra, symbol, assumed
):
    write(export_dir)
    args = ["run", "--data", str(export_dir), "--out", str(tmp_path / "r"), "--lang", "en"]
    assert main(args + ["--notebooks", "customer_segmentation", *extra]) == 0
    printed = capsys.readouterr().out
    page = _page(tmp_path / "r" / "2026-10-21", "customer_segmentation")
    assert "¥" not in page and symbol in page
    assert ("No export names its currency" in page) is assumed
    assert ("assumed: No export names its currency" in printed) is assumed


@pytest.mark.slow
def test_daily_review_of_a_dollar_shop(export_dir, tmp_path):
    _english_daily(export_dir)
    args = ["run", "--data", str(export_dir), "--out", str(tmp_path / "r"), "--lang", "en"]
    assert main(args + ["--notebooks", "daily_review"]) == 0
    page = _page(tmp_path / "r" / "2026-10-21", "daily_review")
    assert "¥" not in page and "$" in page


@pytest.mark.parametrize("path", sorted(NOTEBOOKS_DIR.glob("*.ipynb")), ids=lambda p: p.stem)
def test_every_notebook_takes_a_currency_parameter(path):
    assert "currency" in papermill.inspect_notebook(str(path))
