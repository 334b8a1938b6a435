"""Where things are: every path of the project derives from its root here."""

from pathlib import Path

__all__ = [
    "ROOT",
    "NOTEBOOKS_DIR",
    "SAMPLE_DIR",
    "REPORTS_DIR",
    "OUTPUT_MARKER",
    "GENERATOR_TAG",
    "interactive_output_dir",
    "mark_output",
]

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS_DIR = ROOT / "notebooks"
SAMPLE_DIR = ROOT / "data" / "sample"
REPORTS_DIR = ROOT / "reports"

# Every folder ecomops writes reports into carries this file; the export reader never enters
# a folder that has it, so a reports folder inside the data folder is never read as exports.
OUTPUT_MARKER = ".ecomops-output"
# The <meta> every report page carries; the reader skips a page that has it wherever it lies.
GENERATOR_TAG = "<meta name='generator' content='ecomops'>"


def mark_output(folder: Path) -> Path:
    """Create ``folder`` (and parents) and mark it as ecomops output; returns it."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / OUTPUT_MARKER
    if not marker.exists():
        marker.write_text("Written by ecomops: reports, never read as exports.\n", encoding="utf-8")
    return folder


def interactive_output_dir(report_date) -> Path:
    """Where a notebook run by hand (JupyterLab, nbval) writes its files: reports/lab/<date>.

    Scheduled runs pass their own ``output_dir`` (the day's folder, swapped in whole).
    """
    mark_output(REPORTS_DIR)
    return mark_output(REPORTS_DIR / "lab" / f"{report_date:%Y-%m-%d}")
