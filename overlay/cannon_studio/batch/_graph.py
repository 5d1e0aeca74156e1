"""The dependency graph of a batch: who takes values from whom, cycles, connected components."""

from __future__ import annotations

from collections.abc import Sequence

from ._errors import BatchFileError, FileProblem
from ._jobs import Job

__all__ = ["JobGraph"]


class JobGraph:
    """Jobs and the references between them (pure; no I/O).

    Args:
        jobs: the jobs of one file, every reference pointing at one of them.

    Raises:
        BatchFileError: the references form a cycle (the message lists it and names the line
            and field of the reference that closes it).
    """

    def __init__(self, jobs: Sequence[Job]) -> None:
        self.jobs: dict[str, Job] = {job.id: job for job in jobs}
        self.order: list[str] = [job.id for job in jobs]
        self.dependents: dict[str, list[str]] = {job.id: [] for job in jobs}
        for job in jobs:
            for dep in job.depends_on:
                self.dependents[dep].append(job.id)
        cycle = self.find_cycle()
        if cycle is not None:
            closing = self.jobs[cycle[-2]]
            ref = next(r for r in closing.references if r.job_id == cycle[-1])
            raise BatchFileError(
                [
                    FileProblem(
                        closing.line,
                        ref.field + ".from",
                        "the references form a cycle: " + " -> ".join(cycle),
                        closing.id,
                    )
                ]
            )

    def find_cycle(self) -> list[str] | None:
        """A cycle as a list of ids ``[a, b, ..., a]`` (a takes from b ...), or ``None``."""
        white, grey, black = 0, 1, 2
        color = dict.fromkeys(self.order, white)
        for start in self.order:
            if color[start] != white:
                continue
            stack: list[tuple[str, int]] = [(start, 0)]
            path: list[str] = [start]
            color[start] = grey
            while stack:
                node, index = stack[-1]
                deps = self.jobs[node].depends_on
                if index < len(deps):
                    stack[-1] = (node, index + 1)
                    dep = deps[index]
                    if color[dep] == grey:
                        return [*path[path.index(dep) :], dep]
                    if color[dep] == white:
                        color[dep] = grey
                        stack.append((dep, 0))
                        path.append(dep)
                else:
                    color[node] = black
                    stack.pop()
                    path.pop()
        return None

    def topological(self) -> list[str]:
        """Every job id, each after the jobs it takes values from (file order otherwise)."""
        done: dict[str, None] = {}
        for start in self.order:
            stack = [start]
            while stack:
                node = stack[-1]
                if node in done:
                    stack.pop()
                    continue
                pending = [d for d in self.jobs[node].depends_on if d not in done]
                if pending:
                    stack.extend(reversed(pending))
                else:
                    done[node] = None
                    stack.pop()
        return list(done)

    def downstream(self, job_id: str) -> list[str]:
        """Every job that depends on ``job_id``, directly or not (breadth-first order)."""
        seen: dict[str, None] = {}
        queue = list(self.dependents.get(job_id, ()))
        while queue:
            current = queue.pop(0)
            if current in seen:
                continue
            seen[current] = None
            queue.extend(self.dependents[current])
        return list(seen)

    def components(self) -> dict[str, str]:
        """Job id -> the smallest job id of its connected component (references in either
        direction). Sharding keeps a component together, so no shard waits for another."""
        parent = {job_id: job_id for job_id in self.order}

        def root(node: str) -> str:
            while parent[node] != node:
                parent[node] = parent[parent[node]]
                node = parent[node]
            return node

        for job in self.jobs.values():
            for dep in job.depends_on:
                a, b = root(job.id), root(dep)
                if a != b:
                    parent[max(a, b)] = min(a, b)
        return {job_id: root(job_id) for job_id in self.order}
