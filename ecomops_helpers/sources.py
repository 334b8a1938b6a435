"""Open a shop's exports wherever they are kept: a data folder or a history store.

Above both :mod:`~ecomops_helpers.exports` (the folder's readers) and
:mod:`~ecomops_helpers.store` (which reads through them), so neither imports the other's
opener: the reports and the CLI open their exports here.
"""

from __future__ import annotations

from pathlib import Path

from .exports import ExportFolder, ExportSource
from .paths import SAMPLE_DIR
from .store import ExportStore, is_store

__all__ = ["open_folder"]


def open_folder(
    folder: ExportSource | str | Path, date_order: str = "auto", exclude: tuple[Path, ...] = ()
) -> ExportSource:
    """``folder`` as an :class:`ExportSource`; ``""`` is the bundled sample shop.

    A history store (a folder ``ecomops ingest`` wrote) opens as an :class:`ExportStore`, any
    other folder as an :class:`ExportFolder`: every report reads either the same way. A
    notebook's default ``data_dir`` is ``""`` so it finds the sample from any working
    directory (JupyterLab in ``notebooks/``, papermill from the repository root).
    """
    if isinstance(folder, ExportSource):
        return folder
    path = Path(folder).expanduser() if folder else SAMPLE_DIR
    if is_store(path):
        return ExportStore(path)
    return ExportFolder(path, date_order=date_order, exclude=exclude)
