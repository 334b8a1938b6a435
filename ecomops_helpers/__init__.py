"""ecomops helpers: exports, shop arithmetic, charts and report runs for the notebooks.

The public names below are re-exported lazily (PEP 562), so ``import ecomops_helpers``
stays cheap for a notebook that needs one module: nothing is imported until it is used.
"""

from importlib import import_module

_EXPORTS = {
    "ExportFolder": "exports",
    "KINDS": "exports",
    "EcomopsError": "errors",
    "ExportError": "errors",
    "MissingExportError": "errors",
    "Finding": "page.actions",
    "DailyThresholds": "daily.review",
    "build_daily_review": "daily.review",
    "CustomerThresholds": "customers.review",
    "build_customer_review": "customers.review",
    "write_lists": "customers.review",
    "rfm_summary": "customers.clv",
    "fit_bgnbd": "customers.clv",
    "fit_gamma_gamma": "customers.clv",
    "run_reports": "run.runner",
    "write_sample_shop": "sample",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
