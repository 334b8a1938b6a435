"""Where things are: every path of the project derives from its root here."""

from pathlib import Path

__all__ = ["ROOT", "NOTEBOOKS_DIR", "SAMPLE_DIR", "REPORTS_DIR"]

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS_DIR = ROOT / "notebooks"
SAMPLE_DIR = ROOT / "data" / "sample"
REPORTS_DIR = ROOT / "reports"
