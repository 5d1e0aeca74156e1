"""Batch workers on a Dask cluster: run a submitted batch with N workers, one Dask task each.

Submit the job file once, then start the workers from any machine that reaches the scheduler:

    cannon-studio batch submit jobs.jsonl --journal postgresql://batch@db/media
    python examples/dask_batch_workers.py postgresql://batch@db/media /mnt/shared/out \\
        --scheduler tcp://scheduler:8786 --workers 8

Without ``--scheduler`` it starts a local cluster: a scheduler and ``--processes`` worker
processes on 127.0.0.1. Every Dask worker process needs CANNON_API_KEY in its environment (and
PGPASSWORD when the database asks for one): the key is read there, never sent through the
scheduler. Prints one JSON line per worker; exits 1 when one of them failed or left work.
Needs ``pip install "cannon-studio[dask]"``.
"""

from __future__ import annotations

import argparse
import json
import sys

from cannon_studio.cluster import local_dask_cluster, start_workers_on_dask


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("journal", help="the shared journal's postgresql:// URL")
    parser.add_argument("out", help="the output directory every worker sees")
    parser.add_argument("--scheduler", help="a Dask scheduler's address (default: local)")
    parser.add_argument("--workers", type=int, default=3, help="batch workers to run")
    parser.add_argument("--processes", type=int, default=2, help="local worker processes")
    parser.add_argument("--concurrency", type=int, default=16, help="jobs in flight per worker")
    parser.add_argument("--lease", type=float, default=60.0, help="lease length in seconds")
    args = parser.parse_args()
    options = {"concurrency": args.concurrency, "lease_s": args.lease}

    if args.scheduler:
        from distributed import Client

        with Client(args.scheduler) as dask_client:
            results = start_workers_on_dask(
                dask_client, args.journal, out=args.out, workers=args.workers, **options
            )
    else:
        threads = -(-args.workers // args.processes)  # every worker task runs at once
        with local_dask_cluster(args.processes, threads_per_worker=threads) as dask_client:
            results = start_workers_on_dask(
                dask_client, args.journal, out=args.out, workers=args.workers, **options
            )

    for result in results:
        summary = result.summary.to_dict() if result.summary else None
        print(json.dumps({"index": result.index, "summary": summary, "error": result.error}))
    return 0 if all(result.ok for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
