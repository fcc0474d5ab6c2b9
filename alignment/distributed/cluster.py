"""Connecting to Dask and streaming work through it with a bounded number of tasks in flight.

``--scheduler`` values: ``local`` (a ``LocalCluster`` of :func:`default_local_workers` processes),
``local:N`` (N worker processes), or the address of a running scheduler (``tcp://host:8786``).
A local cluster is always bounded: one thread per worker process (jieba and the embedder hold the
GIL), ``memory_limit`` per worker (``$POLICY_ALIGN_WORKER_MEMORY``, default 2 GiB; workers spill to
disk past 60 % of it and are restarted past 95 %), the scheduler's HTTP server (dashboard) on a
free port, so that it never collides with a real cluster's 8787 or another local cluster's.
"""
from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from alignment.errors import ConfigError, MissingDependencyError

if TYPE_CHECKING:  # pragma: no cover
    from distributed import Client

#: Memory limit of each local worker process unless $POLICY_ALIGN_WORKER_MEMORY says otherwise.
DEFAULT_WORKER_MEMORY = "2GiB"
#: Upper bound of ``local`` without a count (the machine may be shared).
MAX_DEFAULT_LOCAL_WORKERS = 4
#: Tasks kept in flight per worker thread by :func:`stream_map`: enough to hide scheduling latency,
#: few enough that results waiting for the client stay small.
IN_FLIGHT_PER_THREAD = 2
#: How often a task is retried after it raised (a worker that dies is handled by the scheduler,
#: which reschedules its tasks on the others, up to ``distributed.scheduler.allowed-failures``).
TASK_RETRIES = 2

_LOCAL = re.compile(r"^local(?::(\d+))?$")


def require_dask() -> None:
    """Raise :class:`MissingDependencyError` with the install line when Dask is missing."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise MissingDependencyError("distributed", "dist", "分布式运行（--scheduler）") from None


def default_local_workers() -> int:
    """Worker processes of ``--scheduler local``: the CPU count, at most 4."""
    return max(1, min(os.cpu_count() or 1, MAX_DEFAULT_LOCAL_WORKERS))


def parse_local(scheduler: str) -> int | None:
    """The worker count of a ``local``/``local:N`` spec, or None for a scheduler address."""
    m = _LOCAL.match(scheduler.strip())
    if not m:
        return None
    n = int(m.group(1)) if m.group(1) else default_local_workers()
    if n < 1:
        raise ConfigError(f"调度器设置 --scheduler {scheduler} 无效：本机集群至少需要 1 个工作进程（如 local:1）。")
    return n


@contextmanager
def connect(scheduler: "str | Client", *, memory_limit: str | None = None) -> Iterator["Client"]:
    """A Dask client for ``scheduler`` (a spec string or an existing client, which is left open).

    A local cluster started here is closed on exit; a remote scheduler is only disconnected from.
    """
    require_dask()
    from distributed import Client, LocalCluster

    if isinstance(scheduler, Client):
        yield scheduler
        return
    n = parse_local(scheduler)
    if n is not None:
        limit = memory_limit or os.environ.get("POLICY_ALIGN_WORKER_MEMORY", DEFAULT_WORKER_MEMORY)
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, memory_limit=limit,
                          dashboard_address=":0", silence_logs=logging.ERROR) as cluster, \
                Client(cluster) as client:
            yield client
        return
    try:  # waits up to distributed.comm.timeouts.connect (30 s unless configured otherwise)
        client = Client(scheduler)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ConfigError(
            f"无法连接 --scheduler {scheduler} 上的 Dask 调度器（{exc}）：请在各台机器上启动 "
            "'dask scheduler' 和 'dask worker ADDRESS'，或改用 --scheduler local。"
        ) from None
    with client:
        yield client


def n_threads(client: "Client | None") -> int:
    """Worker threads of the cluster (1 without a client)."""
    if client is None:
        return 1
    return max(1, sum(client.nthreads().values()))


def runs(weights: Sequence[int], *, max_items: int, max_weight: int) -> list[tuple[int, int]]:
    """Consecutive ``[start, end)`` runs of items, each of at most ``max_items`` items and, unless
    one item alone exceeds it, ``max_weight`` in total: how small items are batched into one task
    so that scheduling latency does not dominate, while big ones still go one by one."""
    out: list[tuple[int, int]] = []
    start, total = 0, 0
    for i, w in enumerate(weights):
        if i > start and (i - start >= max_items or total + w > max_weight):
            out.append((start, i))
            start, total = i, 0
        total += w
    if start < len(weights):
        out.append((start, len(weights)))
    return out


def file_size(path: "os.PathLike[str] | str") -> int:
    """Bytes of the file at ``path`` (for batching), 0 when it cannot be read: its task says why."""
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def peak_memory(client: "Client") -> dict[str, int]:
    """Peak resident memory (bytes) of each worker process so far, by worker address."""
    return client.run(_peak_rss)


def _peak_rss() -> int:
    import resource
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)  # bytes on macOS, KiB on Linux


def stream_map(
    fn: Callable[..., Any],
    items: Iterable[Any],
    *,
    client: "Client | None",
    window: int | None = None,
    **kwargs: Any,
) -> Iterator[tuple[int, Any]]:
    """``(i, fn(item_i, **kwargs))`` for every item, in completion order.

    With a client, at most ``window`` tasks (default :data:`IN_FLIGHT_PER_THREAD` per worker
    thread) are in flight, so neither the scheduler nor the client ever holds the whole input or
    output; ``items`` is consumed lazily. ``kwargs`` may hold futures (e.g. scattered data).
    Without a client, runs in this process, in order.
    """
    if client is None:
        for i, item in enumerate(items):
            yield i, fn(item, **kwargs)
        return
    from distributed import as_completed

    window = window or IN_FLIGHT_PER_THREAD * n_threads(client)
    source = enumerate(items)
    index_of: dict[str, int] = {}
    pending = as_completed()

    def submit_next() -> bool:
        try:
            i, item = next(source)
        except StopIteration:
            return False
        fut = client.submit(fn, item, pure=False, retries=TASK_RETRIES, **kwargs)
        index_of[fut.key] = i
        pending.add(fut)
        return True

    for _ in range(window):
        if not submit_next():
            break
    for fut in pending:
        result = fut.result()
        i = index_of.pop(fut.key)
        fut.release()
        submit_next()
        yield i, result
