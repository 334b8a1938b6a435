"""Where ``run-all`` runs its shops: local processes, or a Dask cluster.

``processes`` (the default) is a process pool on this machine. ``dask`` starts a Dask
``LocalCluster`` (one worker process per shop at once, one thread each); ``dask://host:port``
(or ``tcp://host:port``) joins an existing Dask scheduler, whose workers must have ecomops
installed and see the shops' data and the output folder at the same paths (a shared disk;
see the README's "A thousand shops"). Every one is a ``concurrent.futures`` executor, so
the runner submits a shop and collects its record the same way on each.
"""

from __future__ import annotations

from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager

__all__ = ["EXECUTORS", "shop_executor", "describe"]

EXECUTORS = ("processes", "dask", "dask://HOST:PORT")
_REMOTE = ("dask://", "tcp://", "tls://")


def _check(spec: str) -> None:
    if spec in ("processes", "dask") or spec.startswith(_REMOTE):
        return
    raise ValueError(
        f"executor {spec!r} is not one of processes, dask, dask://host:port "
        "(an existing Dask scheduler)"
    )


def describe(spec: str, workers: int) -> str:
    """How the run says where its shops run."""
    _check(spec)
    if spec == "processes":
        return f"{workers} process(es)"
    if spec == "dask":
        return f"a Dask LocalCluster of {workers} worker(s)"
    return f"the Dask cluster at {spec}"


@contextmanager
def shop_executor(spec: str, workers: int):
    """A ``concurrent.futures.Executor`` for ``spec``; its cluster is closed afterwards."""
    _check(spec)
    if spec == "processes":
        with ProcessPoolExecutor(max_workers=workers) as pool:
            yield pool
        return
    from distributed import Client, LocalCluster  # imported only when a cluster is asked for

    if spec == "dask":
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,  # a shop is one kernel at a time: a core each
            processes=True,
            dashboard_address=None,
            memory_limit=0,  # the kernels are the workers' children; leave memory to them
        )
        client = Client(cluster)
    else:
        cluster = None
        client = Client("tcp://" + spec.split("://", 1)[1] if spec.startswith("dask://") else spec)
    try:
        executor: Executor = client.get_executor(pure=False)
        yield executor
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
