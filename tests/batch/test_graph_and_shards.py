"""The dependency graph (cycles, order, components) and sharding, as properties."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from batch_support import mixed_jobs, read_jsonl, write_jobs
from cannon_studio import Cannon
from cannon_studio.batch import REPORT_NAME, BatchFileError, Shard, merge_reports, read_report
from cannon_studio.batch._graph import JobGraph
from cannon_studio.batch._jobs import jobs_from_mappings
from hypothesis import given, settings
from hypothesis import strategies as st


def _jobs(edges: list[tuple[int, int]], n: int) -> list[dict[str, Any]]:
    deps: dict[int, list[int]] = {i: [] for i in range(n)}
    for a, b in edges:
        deps[a].append(b)
    return [
        {
            "id": f"j{i}",
            "operation": "image.generate",
            "input": {
                "prompt": "x",
                "reference_image_urls": [{"from": f"j{d}", "output": "image_url"} for d in deps[i]],
            },
        }
        for i in range(n)
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 12).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=20),
        )
    )
)
def test_acyclic_graphs_order_dependencies_first_and_cycles_are_refused(
    case: tuple[int, list[tuple[int, int]]],
) -> None:
    n, edges = case
    forward = [(a, b) for a, b in edges if b < a]  # a takes from an earlier b: never a cycle
    graph = JobGraph(jobs_from_mappings(_jobs(forward, n)))
    order = graph.topological()
    assert sorted(order) == sorted(graph.order)
    position = {job_id: k for k, job_id in enumerate(order)}
    for job_id, job in graph.jobs.items():
        assert all(position[d] < position[job_id] for d in job.depends_on)
    components = graph.components()
    for job_id, job in graph.jobs.items():
        assert all(components[d] == components[job_id] for d in job.depends_on)
    backward = [(a, b) for a, b in edges if b >= a]
    if backward:
        with pytest.raises(BatchFileError, match="cycle"):
            JobGraph(
                jobs_from_mappings(_jobs(forward + [(b, a) for a, b in backward] + backward, n))
            )


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 6), st.integers(0, 10_000))
def test_shards_partition_the_file(count: int, seed: int) -> None:
    graph = JobGraph(jobs_from_mappings(mixed_jobs(25, seed=seed)))
    components = graph.components()
    parts = [Shard(k, count).select(components) for k in range(1, count + 1)]
    assert set().union(*parts) == set(graph.order)
    assert sum(len(p) for p in parts) == len(graph.order)


def test_shard_parsing() -> None:
    assert Shard.parse(" 2 / 5 ") == Shard(2, 5)
    for bad in ("0/3", "4/3", "2", "a/b"):
        with pytest.raises(ValueError):
            Shard.parse(bad)


def test_two_shard_runners_create_every_job_exactly_once(
    client: Cannon, cannon_sandbox: Any, tmp_path: Path
) -> None:
    jobs = mixed_jobs(40, seed=21)
    file = write_jobs(tmp_path / "jobs.jsonl", jobs)
    one = client.batch(file, tmp_path / "s1", shard="1/2")
    two = client.batch(file, tmp_path / "s2", shard="2/2")
    assert one.jobs and two.jobs and one.jobs + two.jobs == len(jobs)
    rows = merge_reports([read_report(tmp_path / "s1"), read_report(tmp_path / "s2")])
    assert len(rows) == len(jobs)
    created = [r for r in rows if r.state in ("succeeded", "failed")]
    ledger = cannon_sandbox.sandbox.ledger()
    assert sorted(e["idempotency_key"] for e in ledger) == sorted(
        r.idempotency_key for r in created
    )
    assert len({e["idempotency_key"] for e in ledger}) == len(ledger)
    a = {r["id"] for r in read_jsonl(tmp_path / "s1" / REPORT_NAME)}
    b = {r["id"] for r in read_jsonl(tmp_path / "s2" / REPORT_NAME)}
    assert not a & b
    # a shard's directory refuses another shard
    with pytest.raises(Exception, match="shard 1/2"):
        client.batch(file, tmp_path / "s1", shard="2/2")
