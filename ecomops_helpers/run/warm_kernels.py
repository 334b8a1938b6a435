"""Warm kernels: each report's kernel is forked from a process that has the imports done.

A cold report kernel spends about 1.5 s of a core starting Python and importing pandas,
scipy, matplotlib, IPython and this package before its first cell. Here one *fork server*
per runner process does those imports once; every kernel is then a ``fork()`` of it that
starts ipykernel at once. Each report still gets an interpreter of its own, used once: a
fork copies the server, which has run no report, so nothing one report sets (currency,
language, thresholds, module globals, matplotlib state) reaches another.

papermill drives these kernels through nbclient with :class:`WarmKernelManager`, a
``jupyter_client`` kernel manager whose provisioner asks the server for a process instead of
starting one. Where the server cannot start (no ``fork`` on this system, an import that
fails), :func:`warm_server` says why and the runner starts its kernels cold.
"""

from __future__ import annotations

import asyncio
import atexit
import importlib
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner

__all__ = ["WarmKernelManager", "WarmServer", "WarmServerError", "engine_options", "warm_server"]

START_SECONDS = 60.0  # the server's imports must end within this, else kernels start cold
# what the report notebooks import; matplotlib's inline backend is named as ipykernel names it,
# but loads in the kernel: loading it hooks the figures into IPython's display
PRELOAD = (
    "numpy",
    "pandas",
    "scipy.stats",
    "scipy.optimize",
    "duckdb",
    "pyarrow.parquet",
    "matplotlib.pyplot",
    "seaborn",
    "ipykernel.kernelapp",
    "ecomops_helpers.page.notebook",
    "ecomops_helpers.page.plots",
    "ecomops_helpers.daily.review",
    "ecomops_helpers.weekly.review",
    "ecomops_helpers.ads.review",
    "ecomops_helpers.customers.review",
    "ecomops_helpers.rivals.review",
)
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
# environment read while Python starts and the libraries import: a server started under
# other values would not be the interpreter a cold kernel gets
STARTUP_ENV = ("PYTHON", "LANG", "LC_", "TZ", "MPL", "OMP_", "OPENBLAS_", "MKL_")


FOLDER_PREFIX = "ecomops-warm-"


def _remove_stale(timeout: float) -> None:
    """Remove the folders of servers that were killed before they could remove their own."""
    now = time.time()
    for folder in Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}*"):
        sock = folder / "server.sock"
        try:
            if not sock.exists():
                if now - folder.stat().st_mtime > timeout:  # never became ready
                    shutil.rmtree(folder, ignore_errors=True)
                continue
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
                probe.connect(str(sock))
        except ConnectionRefusedError:  # a socket nobody listens on
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:  # another user's folder, or one going away: not ours to judge
            continue


class WarmServerError(RuntimeError):
    """The fork server could not start or could not fork a kernel."""


def _startup_env(env) -> tuple:
    return tuple(sorted((k, v) for k, v in env.items() if k.startswith(STARTUP_ENV)))


class WarmServer:
    """A fork server process of this interpreter, listening on a Unix socket."""

    def __init__(self, timeout: float = START_SECONDS):
        if not hasattr(os, "fork"):
            raise WarmServerError("this system has no fork()")
        _remove_stale(timeout)
        self.folder = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX))
        self.address = str(self.folder / "server.sock")
        self.log = self.folder / "server.log"
        self.key = _startup_env(os.environ)
        self.owner = os.getpid()
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", __name__, self.address],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        deadline = time.monotonic() + timeout
        while not os.path.exists(self.address):
            if self.process.poll() is not None or time.monotonic() > deadline:
                why = self._why()
                self.close()
                raise WarmServerError(why)
            time.sleep(0.02)

    def _why(self) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        if self.process.poll() is None:
            return "its imports took too long"
        return text[-1] if text else f"it exited with status {self.process.returncode}"

    @property
    def alive(self) -> bool:
        """True while the server process runs (seen from a forked worker process too)."""
        if os.getpid() == self.owner:
            return self.process.poll() is None
        return _ForkedProcess(self.process.pid).poll() is None

    def fork(self, argv: list[str], env: dict, cwd: str) -> int:
        """A new kernel process running ``argv`` (an ipykernel command line); its pid."""
        request = json.dumps({"argv": argv, "env": dict(env), "cwd": str(cwd)}).encode()
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
                conn.connect(self.address)
                conn.sendall(request + b"\n")
                answer = conn.makefile("rb").readline()
            return int(json.loads(answer)["pid"])
        except (OSError, ValueError, KeyError) as err:
            raise WarmServerError(f"the fork server did not answer ({err})") from err

    def close(self) -> None:
        """Stop the server (its kernels stop with their reports) and remove its folder."""
        if os.getpid() != self.owner:  # a forked worker process leaves its parent's server
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


_server: WarmServer | None = None


def warm_server() -> WarmServer:
    """The fork server of this process, started on first use (or again, when it died).

    A server started under other start-up environment (locale, ``PYTHON*``, thread counts) is
    replaced. Raises :class:`WarmServerError` saying why when none can start.
    """
    global _server
    if _server is not None and (not _server.alive or _server.key != _startup_env(os.environ)):
        _server.close()
        _server = None
    if _server is None:
        _server = WarmServer()
        atexit.register(_server.close)
    return _server


def engine_options(warm: bool, say=print) -> dict:
    """The engine options papermill gets: warm kernels when asked and the server starts.

    When it cannot start, ``say`` tells why and the options are empty: kernels start cold.
    """
    if not warm:
        return {}
    try:
        warm_server()
    except WarmServerError as err:
        say(f"  warm kernels unavailable ({err}): each report starts a cold kernel")
        return {}
    return {"kernel_manager_class": WarmKernelManager}


class _ForkedProcess:
    """What the provisioner needs of a ``Popen``, for a kernel the fork server started."""

    stdin = stdout = stderr = None
    returncode = None

    def __init__(self, pid: int):
        self.pid = pid

    def poll(self) -> int | None:
        try:
            os.kill(self.pid, 0)  # the server reaps its children: a dead kernel is gone
        except ProcessLookupError:
            self.returncode = 0
        except PermissionError:  # the pid was reused by another user's process
            self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class _ForkProvisioner(LocalProvisioner):
    """Launches this interpreter's ipykernel by asking the fork server; any other cold."""

    async def launch_kernel(self, cmd: list[str], **kwargs):
        same_python = Path(cmd[0]).resolve() == Path(sys.executable).resolve()
        if not same_python or cmd[1:3] != ["-m", "ipykernel_launcher"]:
            return await super().launch_kernel(cmd, **kwargs)  # another kernel: cold
        cwd = kwargs.get("cwd") or os.getcwd()
        env = kwargs.get("env") or os.environ
        try:
            pid = await asyncio.to_thread(lambda: warm_server().fork(cmd, env, cwd))
        except WarmServerError:  # the server died since the run began: this one starts cold
            return await super().launch_kernel(cmd, **kwargs)
        self.process = _ForkedProcess(pid)
        self.pid = self.pgid = pid  # the kernel leads a process group of its own
        self.cwd = cwd
        return self.connection_info


class WarmKernelManager(AsyncKernelManager):
    """A kernel manager (nbclient's ``kernel_manager_class``) whose kernels are forked warm."""

    async def _async_pre_start_kernel(self, **kw):
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = _ForkProvisioner(
                kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
            )
        return await super()._async_pre_start_kernel(**kw)


def _become_kernel(listener: socket.socket, conn: socket.socket, request: dict) -> None:
    """In a forked child: turn into the ipykernel the request describes, then exit."""
    code = 1
    try:
        listener.close()
        conn.close()
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        time.tzset()
        sys.path[0] = request["cwd"]  # as `python -m ipykernel_launcher` started there
        sys.argv = [request["argv"][0], *request["argv"][3:]]
        stdin = os.open(os.devnull, os.O_RDONLY)
        os.dup2(stdin, 0)
        from ipykernel.kernelapp import IPKernelApp

        IPKernelApp.launch_instance(argv=request["argv"][3:])
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    except BaseException:  # the kernel could not start: the manager sees it die
        import traceback

        traceback.print_exc()
    finally:
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def serve(address: str) -> None:
    """The fork server: import what reports use, then fork a kernel per request.

    It stops when the process that started it is gone (a worker process of ``run-all`` ends
    without its exit handlers), removing its folder. No thread is started here: a fork copies
    only the thread that calls it.
    """
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    for name in PRELOAD:
        importlib.import_module(name)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # finished kernels are reaped by the system
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    parent = os.getppid()
    try:
        _listen(address, parent)
    finally:
        shutil.rmtree(os.path.dirname(address), ignore_errors=True)


def _listen(address: str, parent: int) -> None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
        listener.bind(address + ".new")
        listener.listen(16)
        os.rename(address + ".new", address)  # the address appears when the server is ready
        while os.getppid() == parent:
            if not select.select([listener], [], [], 1.0)[0]:
                continue
            conn, _ = listener.accept()
            with conn:
                line = conn.makefile("rb").readline()
                if not line:  # a probe: is anyone listening here
                    continue
                request = json.loads(line)
                pid = os.fork()
                if pid == 0:
                    _become_kernel(listener, conn, request)
                conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")


if __name__ == "__main__":
    serve(sys.argv[1])
