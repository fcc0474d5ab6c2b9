"""Distributed indexing and alignment on Dask (``pip install 'policy-align[dist]'``).

The same stage functions as the in-process pipeline run as Dask tasks, on a ``LocalCluster`` (one
machine) or against a running scheduler (many):

* :func:`~alignment.distributed.index.index_corpus` (``policy-align index``): extraction, parsing,
  tokenizing and embedding of a corpus, a few documents per task; the client streams the results
  into the store (:mod:`alignment.distributed.sink`), the one process that writes it.
* :func:`~alignment.distributed.report.distributed_report` (``policy-align report --scheduler``):
  the pipeline's own ``run_report`` with parsing on the workers and a
  :class:`~alignment.distributed.engine.ClusterEngine` that tokenizes, embeds and computes pair
  features in shards of directives (and of plan units for the one cross-directive feature): the
  same statuses and matches as :func:`alignment.pipeline.run_report`.
* :mod:`alignment.distributed.search`: exact vector search sharded over workers, and a FAISS index
  for sizes beyond it, with its recall against exact search.
* :mod:`~alignment.distributed.cluster` (``--scheduler`` values, bounded streaming of tasks),
  :mod:`~alignment.distributed.worker` (the engine each worker loads once) and
  :mod:`~alignment.distributed.corpusgen` (corpora of any size cut from the real documents).

Every entry point takes ``scheduler``: ``None`` runs in this process, ``"local"``/``"local:N"``
starts a bounded ``LocalCluster``, anything else is a scheduler address (``tcp://host:8786``).
Importing this package imports neither Dask nor FAISS. See docs/scaling.md.
"""
from __future__ import annotations

__all__ = ["distributed_report", "index_corpus"]


def __getattr__(name: str):  # lazy: importing the package must not import dask
    if name == "index_corpus":
        from alignment.distributed.index import index_corpus

        return index_corpus
    if name == "distributed_report":
        from alignment.distributed.report import distributed_report

        return distributed_report
    raise AttributeError(name)
