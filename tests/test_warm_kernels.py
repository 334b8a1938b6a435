"""Warm kernels: forked from a server with the imports done, each report still in a fresh state."""

from __future__ import annotations

import asyncio
import os
import re
import socket
from pathlib import Path

import pytest

from ecomops_helpers.run import runner, warm_kernels
from ecomops_helpers.run.warm_kernels import WarmKernelManager
from ecomops_helpers.storefront_sample import write_storefront_shop

NOTEBOOKS = Path(__file__).parent / "fixtures" / "notebooks"


async def _run_code(code: str) -> tuple[str, int]:
    """Start a warm kernel, run ``code``, shut it down: its printed text and its pid."""
    km = WarmKernelManager(kernel_name=runner.ensure_kernel())
    await km.start_kernel()
    pid = km.provisioner.pid
    client = km.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
        printed = []
        await client.execute_interactive(
            code,
            timeout=60,
            output_hook=lambda msg: printed.append(msg["content"].get("text", "")),
        )
    finally:
        client.stop_channels()
        await km.shutdown_kernel(now=False)
    return "".join(printed), pid


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_warm_kernel_starts_with_the_imports_done_and_keeps_nothing_of_the_one_before():
    set_usd = (
        "import sys\n"
        "print('pandas' in sys.modules, 'ecomops_helpers.daily.review' in sys.modules)\n"
        "from ecomops_helpers.page import formatting\n"
        "formatting.use_currency('USD'); import matplotlib.pyplot as plt\n"
        "plt.rcParams['font.size'] = 31\n"
        "print(formatting.money(1))"
    )
    read_back = (
        "from ecomops_helpers.page import formatting\nimport matplotlib.pyplot as plt\n"
        "print(formatting.money(1), plt.rcParams['font.size'])"
    )
    first, first_pid = asyncio.run(_run_code(set_usd))
    second, second_pid = asyncio.run(_run_code(read_back))
    assert first.split() == ["True", "True", "$1.00"]  # imported before the first cell
    assert second.split()[0] == "¥1.00" and second.split()[1] != "31"
    assert first_pid != second_pid and first_pid != os.getpid()
    assert not _alive(first_pid) and not _alive(second_pid)  # each kernel ends with its report


def _page(folder: Path, name: str) -> str:
    """A rendered page without what differs between any two runs: cell ids, the minute it ran,
    the temporary folder."""
    html = (folder / f"{name}.html").read_text(encoding="utf-8")
    html = re.sub(r"cell-id=[0-9a-f-]+|\d{4}-\d\d-\d\d \d\d:\d\d", "", html)
    return re.sub(r"\.\d{4}-\d\d-\d\d\.tmp-\d+", "", html).replace(str(folder.parent), "")


@pytest.mark.slow
def test_two_shops_back_to_back_on_one_pool_render_as_their_cold_runs(sample_dir, tmp_path):
    amazon = tmp_path / "amazon"
    write_storefront_shop(amazon, "amazon")
    shops = [(sample_dir, "zh", "CNY"), (amazon, "en", "USD")]
    pages = {}
    for warm in (True, False):
        for data, lang, currency in shops:
            out = tmp_path / f"{warm}-{lang}"
            run = runner.run_reports(
                data,
                "2026-10-21",
                out,
                notebooks=["paid_ads_audit"],
                lang=lang,
                currency=currency,
                warm=warm,
                progress=lambda _: None,
            )
            assert run.ok, [r.error for r in run.reports]
            pages[warm, lang] = _page(run.folder, "paid_ads_audit")
    assert "$" in pages[True, "en"] and "¥" in pages[True, "zh"]
    assert pages[True, "zh"] == pages[False, "zh"]
    assert pages[True, "en"] == pages[False, "en"]


def test_without_a_fork_server_the_run_says_so_and_starts_cold(tmp_path, monkeypatch):
    def no_server():
        raise warm_kernels.WarmServerError("this system has no fork()")

    monkeypatch.setattr(warm_kernels, "warm_server", no_server)
    said = []
    run = runner.run_reports(
        ".", "2026-10-21", tmp_path, notebooks=["ok"], notebooks_dir=NOTEBOOKS, progress=said.append
    )
    assert run.ok
    assert any("warm kernels unavailable (this system has no fork())" in s for s in said)


def test_a_killed_servers_folder_is_removed_and_a_listening_ones_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(warm_kernels.tempfile, "gettempdir", lambda: str(tmp_path))
    folders = {}
    for name in ("killed", "live"):
        folders[name] = tmp_path / f"{warm_kernels.FOLDER_PREFIX}{name}"
        folders[name].mkdir()
    killed = socket.socket(socket.AF_UNIX)
    killed.bind(str(folders["killed"] / "server.sock"))
    killed.close()  # the socket file stays, nobody listens
    with socket.socket(socket.AF_UNIX) as live:
        live.bind(str(folders["live"] / "server.sock"))
        live.listen(1)
        warm_kernels._remove_stale(60)
    assert not folders["killed"].exists() and folders["live"].exists()
