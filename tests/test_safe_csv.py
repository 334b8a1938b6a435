"""CSVs for people: a cell a spreadsheet would run as a formula is neutralised, nothing else."""

import pandas as pd
import pytest

from ecomops_helpers.safe_csv import neutralise, write_csv

FORMULAS = ["=cmd|' /C calc'!A0", "+SUM(A1)", "-2+3", "@alice", "\t=1", "\r=1", "=1+1", "-", "+"]
EXACT = ["+8613900000047", "-12.50", "-5", "+1,234.5", "-.5", "-3%", "tb_alice", "13900000047"]


@pytest.mark.parametrize("cell", FORMULAS)
def test_a_formula_is_neutralised(cell):
    assert neutralise(pd.DataFrame({"t": [cell]}))["t"].iloc[0] == "'" + cell


@pytest.mark.parametrize("cell", EXACT)
def test_phones_and_signed_numbers_stay_exact(cell):
    assert neutralise(pd.DataFrame({"t": [cell]}))["t"].iloc[0] == cell


def test_crm_list_keeps_an_e164_phone_as_written(tmp_path):
    ids = pd.DataFrame({"customer_id": ["+8613900000047", "+SUM(A1)"], "spend": [-12.5, 3.0]})
    path = write_csv(ids, tmp_path / "l.csv", private=True)
    back = path.read_text(encoding="utf-8-sig").splitlines()
    assert back[1:] == ["+8613900000047,-12.5", "'+SUM(A1),3.0"]
