import numpy as np
import pandas as pd
import pytest

from ecomops_helpers.customers.review import (
    CustomerThresholds,
    build_customer_review,
    write_id_list,
    write_lists,
)
from ecomops_helpers.sample import generate_shop


@pytest.fixture(scope="module")
def review(sample_dir):
    return build_customer_review(sample_dir)


@pytest.fixture(scope="module")
def planted():
    return generate_shop().planted_customers


@pytest.mark.parametrize(
    "name,group",
    [
        ("at_risk_high_value", "lapsing_vip"),
        ("second_purchase_window", "second_window"),
        ("cart_abandoners", "cart_abandoners"),
        ("coupon_unused", "coupon_unused"),
    ],
)
def test_every_planted_group_is_on_its_list(review, planted, name, group):
    ids = set(getattr(planted, group))
    assert ids <= set(review.lists[name].index)


def test_findings_carry_count_rule_and_file(review):
    crm = {f.action.split()[-1]: f for f in review.findings if f.area == "crm"}
    assert set(crm) == {
        "segments/at_risk_high_value.csv",
        "segments/second_purchase_window.csv",
        "segments/cart_abandoners.csv",
        "segments/coupon_unused.csv",
    }
    risk = crm["segments/at_risk_high_value.csv"]
    assert f"{len(review.lists['at_risk_high_value'])} 人" in risk.what
    assert "M 分 ≥ 5" in risk.rule and "2.0 × 本人平均复购间隔" in risk.rule


def test_dropped_orders_are_counted(review):
    d = review.drops
    assert d.refunded_or_cancelled > 0 and d.unpaid > 0
    assert (
        d.kept + d.refunded_or_cancelled + d.unpaid + d.no_customer + d.adjustments + d.zero_price
        == d.lines
    )


def test_models_fit_the_sample_and_values_are_usable(review):
    assert review.model_problem == ""
    v = review.value
    assert len(v) == len(review.summary) and (v["clv"] >= 0).all() and v.notna().all().all()
    assert review.holdout is not None and review.holdout["customers"].sum() > 0


def test_id_files(review, tmp_path):
    files = write_lists(review, tmp_path)
    risk = pd.read_csv(files["at_risk_high_value"], dtype={"customer_id": str})
    assert len(risk) == len(review.lists["at_risk_high_value"])
    assert {
        "customer_id",
        "list",
        "segment",
        "r",
        "f",
        "m",
        "last_purchase",
        "expected_value",
        "preferred_category",
    } <= set(risk.columns)
    stuck = pd.read_csv(files["stuck_at_fav_cart"])
    assert len(stuck) > 0 and set(stuck["stage"]) == {"fav_cart"}
    segments_written = {n for n in files if n.startswith("rfm_")}
    assert {n for n in files if n.startswith("stuck_at_")} == {
        "stuck_at_detail",
        "stuck_at_fav_cart",
    }
    assert segments_written == {f"rfm_{s}" for s in review.rfm["segment"].unique()}
    total = sum(len(pd.read_csv(files[n])) for n in segments_written)
    assert total == len(review.rfm)


def test_without_events_the_event_lists_are_hidden(sample_dir, tmp_path):
    import shutil

    for f in sample_dir.glob("ExportOrderList*"):
        shutil.copy(f, tmp_path / f.name)
    r = build_customer_review(tmp_path, lang="en")
    assert "events" in r.missing and "cart_abandoners" not in r.lists
    assert {f.what.split(":")[0] for f in r.findings if f.area == "crm"} == {
        "High-value customers at risk",
        "One-time buyers in the second-purchase window",
    }


def test_thresholds_change_the_lists(sample_dir):
    strict = build_customer_review(
        sample_dir, thresholds=CustomerThresholds(at_risk_gap_factor=4.0)
    )
    loose = build_customer_review(sample_dir)
    assert len(strict.lists["at_risk_high_value"]) < len(loose.lists["at_risk_high_value"])


def _log(d, rows):
    d.mkdir(exist_ok=True)
    (d / "orders.csv").write_text(
        "customer_id,date,amount\n" + "".join(f"{c},{day},{a}\n" for c, day, a in rows),
        encoding="utf-8",
    )
    return d


def test_everybody_bought_on_the_report_day(tmp_path):
    folder = _log(tmp_path / "one_day", [(f"c{i}", "2026-10-21", 10 + i) for i in range(22)])
    r = build_customer_review(folder, lang="en")
    assert set(r.rfm["segment"]) == {"new"}
    assert "segment_moves" in r.missing and "cover 1 day(s)" in r.missing["segment_moves"]
    assert not [f for f in r.findings if f.area == "segments"]


def test_three_days_of_history(tmp_path):
    rows = [(f"t{i}", "2026-10-21", 20) for i in range(99)]
    rows += [(f"e{i}", f"2026-10-{19 + i % 2}", 20) for i in range(30)]
    r = build_customer_review(_log(tmp_path / "three_days", rows), lang="en")
    today = r.rfm.loc[[f"t{i}" for i in range(99)], "segment"]
    assert set(today) == {"new"}  # not "about to sleep"
    assert not set(r.rfm["segment"]) & {"lost", "hibernating", "about_to_sleep", "at_risk"}
    assert "from 2026-10-19" in r.missing["segment_moves"]


def test_segment_moves_need_history_reaching_back(sample_dir):
    r = build_customer_review(sample_dir, thresholds=CustomerThresholds(segment_move_days=30))
    assert "segment_moves" not in r.missing and "before" in r.segment_sizes


def test_id_list_numbers_are_rounded_for_the_crm(tmp_path):
    t = pd.DataFrame(
        {"spend": [391.97999999999996], "p_alive": [0.123456789], "orders": [3]},
        index=pd.Index(["tb1"]),
    )
    path = write_id_list(t, tmp_path / "l.csv")
    assert path.read_text(encoding="utf-8-sig").splitlines()[1] == "tb1,391.98,0.1235,3"


def test_id_list_file(tmp_path):
    t = pd.DataFrame({"spend": [1.0]}, index=pd.Index(["tb1"], name="x"))
    path = write_id_list(t, tmp_path / "segments" / "l.csv", segment="lost")
    assert path.read_text(encoding="utf-8-sig").splitlines() == [
        "customer_id,spend,segment",
        "tb1,1.0,lost",
    ]
    assert np.isclose(pd.read_csv(path)["spend"].iloc[0], 1.0)
