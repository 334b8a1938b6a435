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
    return _daily_and_items(sample_dir, tmp_path / "shop_only")


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


@pytest.fixture
def sample_links(sample_dir, tmp_path):
    """Link the sample shop's files (those whose names start with one of ``prefixes``, else all)
    into ``tmp_path / name``: the same exports in a folder of the test's own, served by the
    parse cache once any test of the session has read the sample (it keys a file by its real
    path). Remove or replace a linked file, never write into it: that would change the shared
    sample, so the sample's files must be as they were when the test ends."""

    def link(name: str = "shop", prefixes: tuple[str, ...] = ()) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        for f in sorted(sample_dir.iterdir()):
            if not prefixes or f.name.startswith(prefixes):
                (folder / f.name).symlink_to(f)
        return folder

    before = {f: f.stat().st_mtime_ns for f in sample_dir.iterdir()}
    yield link
    assert {f: f.stat().st_mtime_ns for f in sample_dir.iterdir()} == before, (
        "a test wrote through a link into the shared sample shop"
    )


@pytest.fixture(scope="session")
def small_shop(tmp_path_factory) -> Path:
    """The sample's generator on 180 days of 6 items (4 of them heroes), ending on the same
    day: every kind of export the sample has and every report section it shows, at a fraction
    of its size, for checks that do not depend on the shop's size."""
    out = tmp_path_factory.mktemp("small-shop")
    write_sample_shop(out, days=180, items=6)
    return out


@pytest.fixture
def small_shop_only(small_shop, tmp_path) -> Path:
    """``shop_only`` of the small shop: its daily and item exports only."""
    return _daily_and_items(small_shop, tmp_path / "small_shop_only")


def _daily_and_items(shop: Path, d: Path) -> Path:
    """A copy of ``shop``'s daily (生意参谋) and item (商品效果) exports only, in ``d``."""
    d.mkdir()
    for f in shop.iterdir():
        if f.name.startswith(("【生意参谋平台】", "商品效果")):
            shutil.copy(f, d / f.name)
    return d
