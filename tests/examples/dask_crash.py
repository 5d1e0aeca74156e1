"""A partition function for the Dask example's retry test (imported by name in the Dask worker
processes): it runs the example's ``create_partition`` and then, on the first attempt of the
partition holding ``shot-0``, kills its worker process before returning (as an OOM kill would
after the requests were created and charged), leaving the request ids it got in a file."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dask_bag_requests import create_partition


def create_then_die_once(
    records: Iterable[dict[str, Any]], namespace: str, marker: str
) -> list[dict[str, Any]]:
    records = list(records)
    rows = create_partition(records, namespace)
    if any(record["id"] == "shot-0" for record in records) and not Path(marker).exists():
        Path(marker).write_text(json.dumps({row["id"]: row["request_id"] for row in rows}))
        os._exit(137)
    return rows
