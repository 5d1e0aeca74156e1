"""Create Cannon requests from a Dask bag you already have, one partition per task.

For pipelines whose records already live in Dask (a bag of prompts, a DataFrame turned into
records): each partition builds its own client in the Dask worker (the API key comes from that
process's CANNON_API_KEY, never from the task graph), creates one request per record with a
DETERMINISTIC idempotency key, waits for it, and returns one plain row per record.

The key is a pure function of a namespace you choose and the record (its id and its canonical
JSON content), so when Dask runs a partition again (a worker process died, a task was retried,
the whole script was run twice) every create is sent with the same key and the API returns the
original request: nothing is created or charged twice. Change the namespace to generate the
same records again as new requests.

Run it on a local cluster (a scheduler and two worker processes on 127.0.0.1)::

    CANNON_API_KEY=cs_test_... python examples/dask_bag_requests.py

Needs ``pip install "cannon-studio[dask]"``. For jobs in a file, with chains, budgets, resume
and downloads, use ``cannon-studio batch`` (or batch workers on Dask) instead.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from cannon_studio import Cannon

NAMESPACE = "example-bag-v1"
"""Part of every key: the same records under the same namespace are the same requests."""


def idempotency_key(namespace: str, record: dict[str, Any]) -> str:
    """``bag-`` + 48 hex characters of SHA-256 over the namespace, the record's id, its
    operation and its input as canonical JSON (sorted keys): equal records, equal keys."""
    content = json.dumps(
        [namespace, record["id"], record["operation"], record["input"]],
        sort_keys=True,
        separators=(",", ":"),
    )
    return "bag-" + hashlib.sha256(content.encode()).hexdigest()[:48]


def create_partition(
    records: Iterable[dict[str, Any]], namespace: str = NAMESPACE
) -> list[dict[str, Any]]:
    """Create and wait for one request per record (in a Dask worker); one row per record:
    ``{"id", "request_id", "idempotency_key", "status"}``. A failed request is a row with
    status ``failed``, not an exception, so one bad record does not re-run its partition."""
    rows: list[dict[str, Any]] = []
    with Cannon() as client:  # CANNON_API_KEY and CANNON_BASE_URL of the worker process
        for record in records:
            key = idempotency_key(namespace, record)
            handle = client.requests.create(
                record["operation"], record["input"], idempotency_key=key
            )
            try:
                handle.wait()
            except Exception as exc:  # RequestFailedError, WaitTimeoutError...
                status = f"failed: {type(exc).__name__}"
            else:
                status = handle.status
            rows.append(
                {
                    "id": record["id"],
                    "request_id": handle.id,
                    "idempotency_key": key,
                    "status": status,
                }
            )
    return rows


def prompts(n: int) -> list[dict[str, Any]]:
    """``n`` records as a pipeline might hold them: an id, an operation and its input."""
    return [
        {
            "id": f"shot-{i}",
            "operation": "image.generate",
            "input": {"prompt": f"A lighthouse at dusk, variant {i}"},
        }
        for i in range(n)
    ]


def main() -> None:
    import dask.bag as db
    from cannon_studio.cluster import local_dask_cluster

    with local_dask_cluster(2):  # the bag runs on this cluster while it is open
        bag = db.from_sequence(prompts(12), npartitions=4)
        rows = bag.map_partitions(create_partition, NAMESPACE).compute()
    for row in rows:
        print(row["id"], row["request_id"], row["status"])
    print(f"{len(rows)} records, {len({row['request_id'] for row in rows})} requests")


if __name__ == "__main__":
    main()
