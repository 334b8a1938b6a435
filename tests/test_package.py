import ast
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "ecomops_helpers"


def test_package_reexports_its_public_names():
    import ecomops_helpers

    for name in ecomops_helpers.__all__:
        assert getattr(ecomops_helpers, name) is not None


ARITHMETIC = [
    "orders.py",
    "daily/metrics.py",
    "daily/anomalies.py",
    "customers/segments.py",
    "customers/clv.py",
    "ads/audit.py",
    "rivals/changes.py",
    "rivals/title_match.py",
]
REPORT_MODULES = ("page", "run", "review", "sample")


def test_the_arithmetic_imports_no_report_module():
    """The arithmetic is the package's core: no report, page, run or sample module in it."""
    for name in ARITHMETIC:
        tree = ast.parse((PACKAGE / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level:
                parts = (node.module or "").split(".") + [a.name for a in node.names]
                assert not set(parts) & set(REPORT_MODULES), f"{name} imports {ast.unparse(node)}"


def test_each_report_has_its_package():
    import importlib

    for report in ("daily", "customers", "ads", "rivals"):
        review = importlib.import_module(f"ecomops_helpers.{report}.review")
        assert review.__doc__


REPORTS = ("daily", "weekly", "customers", "ads", "rivals")
# each layer and what it must never import, at the top of a module or inside a function
NEVER = {
    "exports": ("store", "run", "page", "sources", *REPORTS),
    "store": ("run", "page", "sources", *REPORTS),
    "orders": ("exports", "store", "run", "page", "sources", *REPORTS),
    "locking": ("exports", "store", "run", "page", "sources", *REPORTS),
}


def _imported(source: str, module: str) -> set[str]:
    """The top-level parts of ``ecomops_helpers`` that ``module``'s source imports, anywhere."""
    package = module.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            base = ".".join([*base, *([node.module] if node.module else [])])
            names = [base] + [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        found |= {n.split(".")[1] for n in names if n.startswith("ecomops_helpers.")}
    return found


def _layer_modules(layer: str) -> list[tuple[str, Path]]:
    """Each module of a subpackage or top-level module, with its dotted name."""
    root = PACKAGE / layer
    paths = sorted(root.rglob("*.py")) if root.is_dir() else [root.with_suffix(".py")]
    return [
        (".".join(("ecomops_helpers", *p.relative_to(PACKAGE).with_suffix("").parts)), p)
        for p in paths
    ]


def test_the_layers_import_one_way():
    """exports never imports the store, the runner or a report; the store never the runner."""
    wrong = []
    for layer, never in NEVER.items():
        modules = _layer_modules(layer)
        assert modules, layer
        for module, path in modules:
            bad = _imported(path.read_text(encoding="utf-8"), module) & set(never)
            wrong += [f"{module} imports ecomops_helpers.{b}" for b in sorted(bad)]
    assert not wrong, wrong


def test_the_layer_check_sees_lazy_and_relative_imports():
    lazy = "def f():\n    from ...store import ExportStore\n"
    assert _imported(lazy, "ecomops_helpers.exports.catalogue.ads") == {"store"}
    assert _imported("from .. import run\n", "ecomops_helpers.store.ingest") == {"run"}
    assert _imported("import ecomops_helpers.customers.segments\n", "x.y") == {"customers"}
    assert _imported("from .catalogue import customers\n", "ecomops_helpers.exports.folder") == {
        "exports"
    }
