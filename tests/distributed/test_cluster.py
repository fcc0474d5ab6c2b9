"""Scheduler specs, batching, shard sizes and the bounded streaming of tasks."""
from __future__ import annotations


import pytest

pytest.importorskip("distributed", reason="needs the dist extra: pip install 'policy-align[dist]'")

from alignment.distributed.cluster import (  # noqa: E402
    IN_FLIGHT_PER_THREAD,
    connect,
    default_local_workers,
    parse_local,
    runs,
    stream_map,
)
from alignment.distributed.engine import MIN_BLOCK_MACS, blocks  # noqa: E402
from alignment.errors import ConfigError  # noqa: E402

pytestmark = pytest.mark.dist


def test_scheduler_specs():
    assert parse_local("local") == default_local_workers()
    assert parse_local("local:3") == 3
    assert parse_local("tcp://10.0.0.5:8786") is None
    with pytest.raises(ConfigError, match=r"^调度器设置 --scheduler local:0 无效：本机集群至少需要 1 个工作进程（如 local:1）。$"):
        parse_local("local:0")


def test_runs_batch_small_items_and_send_big_ones_alone():
    assert runs([10, 10, 10, 10, 10], max_items=2, max_weight=100) == [(0, 2), (2, 4), (4, 5)]
    assert runs([60, 60, 500, 1, 1], max_items=8, max_weight=100) == [(0, 1), (1, 2), (2, 3), (3, 5)]
    assert runs([], max_items=8, max_weight=100) == []


@pytest.mark.parametrize("n_rows, n_cols, dim", [(534, 12883, 384), (534, 12883, 2048), (37, 40, 384),
                                                 (5000, 17, 384), (3, 100000, 384), (900, 900, 0)])
def test_blocks_cover_the_rows_and_keep_each_product_large(n_rows, n_cols, dim):
    spans = blocks(n_rows, n_cols, dim, cells=1 << 16)
    assert spans[0][0] == 0 and spans[-1][1] == n_rows
    assert all(a < b and b == c for (a, b), (c, _) in zip(spans, spans[1:] + [(n_rows, 0)]))
    if dim and len(spans) > 1:  # every shard's product stays off BLAS's small-matrix paths
        assert all(b - a >= 2 and (b - a) * n_cols * dim >= MIN_BLOCK_MACS for a, b in spans)
    if dim and n_rows * n_cols * dim < 2 * MIN_BLOCK_MACS:
        assert spans == [(0, n_rows)]


def _square(x: int) -> int:
    return x * x


def test_stream_map_keeps_a_bounded_number_of_tasks_in_flight(client):
    pulled = []

    def items():
        for i in range(40):
            pulled.append(i)
            yield i

    window = IN_FLIGHT_PER_THREAD * 2
    seen = {}
    for i, value in stream_map(_square, items(), client=client):
        # When a result arrives, at most `window` items beyond those answered have been taken.
        assert len(pulled) <= len(seen) + 1 + window
        seen[i] = value
    assert seen == {i: i * i for i in range(40)}


def test_stream_map_without_a_client_runs_in_order():
    assert list(stream_map(_square, [1, 2, 3], client=None)) == [(0, 1), (1, 4), (2, 9)]


def test_an_unreachable_scheduler_is_a_config_error_that_says_what_to_do():
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        with pytest.raises(ConfigError, match=r"^无法连接 --scheduler tcp://127.0.0.1:9 上的 Dask 调度器（.*）："
                                              r"请在各台机器上启动 'dask scheduler' 和 'dask worker ADDRESS'"):
            with connect("tcp://127.0.0.1:9"):
                pass


def _threads_setting() -> str | None:
    import os

    return os.environ.get("POLICY_ALIGN_THREADS")


def test_each_worker_builds_its_engine_once_with_only_its_own_threads(client):
    from alignment.distributed.worker import EngineConfig, engine_loads, register

    if _threads_setting():
        pytest.skip("POLICY_ALIGN_THREADS is set: workers keep the user's choice")
    register(client, EngineConfig("lexical"))
    loads = client.run(engine_loads)
    register(client, EngineConfig("lexical"))  # idempotent: same plugin name, engine kept
    assert client.run(engine_loads) == loads and all(n >= 1 for n in loads.values())
    assert list(client.run(_threads_setting).values()) == ["1", "1"]  # one task thread per worker
