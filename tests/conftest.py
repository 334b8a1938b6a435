import shutil
from pathlib import Path

import pytest

from ecomops_helpers.sample import write_sample_shop

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory) -> Path:
    """A freshly generated sample shop (same generator and defaults as data/sample)."""
    out = tmp_path_factory.mktemp("sample")
    write_sample_shop(out)
    return out


@pytest.fixture
def export_dir(tmp_path) -> Path:
    """An empty folder to drop hand-made exports into."""
    d = tmp_path / "exports"
    d.mkdir()
    return d


@pytest.fixture
def fixture_copy(tmp_path):
    """Copy named fixture files into a fresh folder; returns that folder."""

    def copy(*names: str) -> Path:
        d = tmp_path / "copy"
        d.mkdir(exist_ok=True)
        for n in names:
            shutil.copy(FIXTURES / "exports" / n, d / n)
        return d

    return copy


@pytest.fixture
def shop_only(sample_dir, tmp_path) -> Path:
    """The sample shop with only its daily and item exports (no sources, plan or reviews)."""
    d = tmp_path / "shop_only"
    d.mkdir()
    for f in sample_dir.iterdir():
        if f.name.startswith(("【生意参谋平台】", "商品效果")):
            shutil.copy(f, d / f.name)
    return d


@pytest.fixture(autouse=True, scope="session")
def _export_cache(tmp_path_factory):
    """Tests parse into a cache of their own, never the project's .cache/, and mask IDs with
    a secret of their own, never the user's ~/.config/ecomops/mask.key; the CLI speaks English
    and the reports Chinese, whatever the developer's locale and ECOMOPS_LANG."""
    import os

    settings = {
        "ECOMOPS_CACHE_DIR": str(tmp_path_factory.mktemp("export-cache")),
        "ECOMOPS_SECRET_FILE": str(tmp_path_factory.mktemp("secret") / "mask.key"),
        "LC_ALL": "C.UTF-8",
    }
    old = {name: os.environ.get(name) for name in [*settings, "ECOMOPS_LANG"]}
    os.environ.update(settings)
    os.environ.pop("ECOMOPS_LANG", None)
    yield
    for name, value in old.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def rendered(sample_dir, tmp_path_factory) -> dict[str, Path]:
    """The sample shop's reports rendered in zh and in en (training mode on, so every text
    shows): language → the day's folder."""
    from ecomops_helpers.run.runner import run_reports

    out = {}
    for lang in ("zh", "en"):
        run = run_reports(
            sample_dir,
            "2026-10-21",
            tmp_path_factory.mktemp(f"reports-{lang}"),
            lang=lang,
            explain=True,
            progress=lambda _: None,
        )
        assert run.ok, [r.error for r in run.reports]
        out[lang] = run.folder
    return out


@pytest.fixture(autouse=True)
def _shop_currency():
    """Each test starts in yuan: a review that ran before (a dollar shop) sets the currency
    amounts are written in for the rest of its process, as a report's kernel does."""
    from ecomops_helpers.page import formatting

    formatting.use_currency("CNY")
    yield
    formatting.use_currency("CNY")
