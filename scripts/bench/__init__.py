"""``make bench``: speed and memory of the cannon-studio client, each figure beside a baseline
measured in the same run, the ratio and its goal. Run as ``python -m scripts.bench`` from the
repository root (``--json PATH``, ``--quick``, ``--only ROUND``).

Baselines use the transport of the client path they are compared with, and import nothing
from the client: the pure-aiohttp oracle (``baselines``; ``AsyncCannon`` sends through
aiohttp) polls each request once, when the sandbox says its job is due; bare httpx2 (the sync
``Cannon`` sends through httpx2's own transport) for the per-call figure; the server's own
timestamps for the wall lower bound; ``import httpx2`` in a core-only venv for import cost; a
pipelined ``as_completed`` for the batch runner.

Rounds (``__main__.ROUNDS``, each ``run(ctx: Context) -> list[Row]``): ``per_call``,
``fanout``, ``transport``, ``polling``, ``imports``, ``batch``, ``regeneration``. Shared pieces:
``sandbox_process`` (the sandbox in its OWN process, loopback, port 0, its CPU from ``/proc``),
``child`` (the client's runs) and ``baselines`` (the baselines' runs), each a fresh process so
its CPU time and peak RSS are its own, ``measure`` (what a run records), ``report`` (``Row``,
``Context``, the table, the JSON document), ``profiling`` (the cProfile summary under a miss).

Why a package run with ``-m``: the modules import each other with relative imports and the
children are started as ``python -m scripts.bench.child``, so nothing manipulates ``sys.path``.
"""
