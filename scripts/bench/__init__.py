"""``make bench``: speed and memory of the cannon-studio client, each figure beside a baseline
measured in the same run and its goal (issue 15's table). Run as ``python -m scripts.bench``
from the repository root (``--json PATH``, ``--quick``, ``--only SECTION``).

One module per benchmark, plus the shared pieces:

- ``sandbox_process``: the sandbox in its OWN process (loopback, port 0), timing set through
  ``POST /_sandbox/config``, its CPU read from ``/proc``;
- ``child``: the client side of every fan-out / polling run, in a fresh child process so its
  CPU time and peak RSS are its own;
- ``report``: the ``Figure`` record, the table, the JSON document, machine and versions;
- ``fanout`` (100 / 1,000 / 10,000 requests vs the oracle, the raw-httpx2 create phase, the sync
  client and bare async httpx2), ``polling`` (peer policies on the same seeded jobs),
  ``per_call`` (overlay vs bare httpx2 vs generated; creates/s), ``transport`` (httpx2's vs
  httpx-aiohttp's), ``imports`` (a core-only venv), ``regeneration``, ``profiling``.

Why a package run with ``-m`` and not loose scripts: the modules import each other with
relative imports and the child processes are started as ``python -m scripts.bench.child``, so
nothing manipulates ``sys.path`` and every module stays importable (and type-checked) as is.
The benchmark measures; it never gates (exit 0 when a goal is missed; the table says MISS).
"""
