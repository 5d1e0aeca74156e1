"""How deep a decoded JSON value nests, measured without recursion (pure, bottom floor).

A hostile document nested 100,000 levels deep must give one sentence, not a ``RecursionError``
from a parser, a validator or a ``repr``: callers check ``deeper_than`` right after decoding
(``json.loads`` itself raises ``RecursionError`` past the interpreter's limit; they catch it).
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["deeper_than"]


def deeper_than(value: object, limit: int) -> bool:
    """True when ``value`` nests dicts and lists more than ``limit`` levels (a scalar is level
    0, ``{"a": 1}`` level 1). Iterative: any depth is measured in constant stack space."""
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        children: Iterable[object]
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        depth += 1
        if depth > limit:
            return True
        stack.extend((child, depth) for child in children if isinstance(child, dict | list))
    return False
