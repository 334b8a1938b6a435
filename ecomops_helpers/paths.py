"""Where things are: every path of the project derives from its root here."""

from pathlib import Path

__all__ = ["ROOT", "NOTEBOOKS_DIR", "SAMPLE_DIR", "REPORTS_DIR", "interactive_output_dir"]

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS_DIR = ROOT / "notebooks"
SAMPLE_DIR = ROOT / "data" / "sample"
REPORTS_DIR = ROOT / "reports"


def interactive_output_dir(report_date) -> Path:
    """Where a notebook run by hand (JupyterLab, nbval) writes its files: reports/lab/<date>.

    Scheduled runs pass their own ``output_dir`` (the day's folder, swapped in whole).
    """
    return REPORTS_DIR / "lab" / f"{report_date:%Y-%m-%d}"
