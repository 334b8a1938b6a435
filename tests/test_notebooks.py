import ast
import json

import papermill
import pytest

from ecomops_helpers.paths import NOTEBOOKS_DIR

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_one_parameters_cell_of_typed_literals(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1
    source = "".join(cells[0]["source"])
    tree = ast.parse(source)
    names = set()
    for node in tree.body:  # `name: type = literal  # help`, so papermill can document it
        assert isinstance(node, ast.AnnAssign), ast.unparse(node)
        ast.literal_eval(node.value)
        names.add(node.target.id)
    lines = [ln for ln in source.splitlines() if ln.strip()]
    assert all("  # " in ln for ln in lines), "every parameter carries a help comment"
    assert {"data_dir", "report_date", "language"} <= names
    # papermill reads the same cell (--help-notebook, and the runner passes only what a
    # notebook declares): every parameter must parse, which a help text with "=" breaks
    assert set(papermill.inspect_notebook(str(path))) == names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_the_action_list_comes_first(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    first_chart = next(i for i, s in enumerate(code) if "plots." in s)
    actions = next(i for i, s in enumerate(code) if "display_actions(" in s)
    assert actions < first_chart


def test_papermill_reads_every_parameter_of_every_notebook():
    """A comment holding "=" hides a parameter from papermill: the runner then cannot pass it
    (a report silently ran on the sample instead of the given folder)."""
    import json

    import papermill as pm

    from ecomops_helpers.paths import NOTEBOOKS_DIR

    for path in sorted(NOTEBOOKS_DIR.glob("*.ipynb")):
        cell = next(
            c
            for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
            if "parameters" in c["metadata"].get("tags", [])
        )
        source = "".join(cell["source"])
        written = [ln.split(":")[0] for ln in source.splitlines() if ln and not ln.startswith("#")]
        assert list(pm.inspect_notebook(str(path))) == written, path.name
