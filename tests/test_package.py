def test_package_reexports_its_public_names():
    import ecomops_helpers

    for name in ecomops_helpers.__all__:
        assert getattr(ecomops_helpers, name) is not None


ARITHMETIC = [
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
    import ast
    from pathlib import Path

    package = Path(__file__).parents[1] / "ecomops_helpers"
    for name in ARITHMETIC:
        tree = ast.parse((package / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level:
                parts = (node.module or "").split(".") + [a.name for a in node.names]
                assert not set(parts) & set(REPORT_MODULES), f"{name} imports {ast.unparse(node)}"


def test_each_report_has_its_package():
    import importlib

    for report in ("daily", "customers", "ads", "rivals"):
        review = importlib.import_module(f"ecomops_helpers.{report}.review")
        assert review.__doc__
