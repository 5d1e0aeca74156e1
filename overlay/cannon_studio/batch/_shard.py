"""``--shard K/N``: the K-th of N disjoint parts of a batch, chosen from job ids alone."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["Shard"]

_SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True)
class Shard:
    """Part ``index`` (1-based) of ``count`` parts.

    A job belongs to the part given by the SHA-256 of its component's key (the smallest job id
    among the jobs linked to it by references), so chained jobs stay in one part and every
    runner decides alone, with no coordination, and all parts together are the whole file.
    """

    index: int
    count: int

    def __post_init__(self) -> None:
        if not (1 <= self.index <= self.count):
            raise ValueError(f"shard must be K/N with 1 <= K <= N, got {self.index}/{self.count}")

    @classmethod
    def parse(cls, text: str) -> Shard:
        """``"2/5"`` -> ``Shard(2, 5)``. Raises ValueError for anything else."""
        match = _SPEC.match(text)
        if match is None:
            raise ValueError(f"shard must look like K/N (e.g. 2/5), got {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def owns(self, component_key: str) -> bool:
        """Whether the component with this key belongs to this part."""
        digest = hashlib.sha256(component_key.encode()).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index - 1

    def select(self, components: Mapping[str, str]) -> set[str]:
        """The job ids (keys of ``components``: job id -> component key) of this part."""
        return {job_id for job_id, key in components.items() if self.owns(key)}
