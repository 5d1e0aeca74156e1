"""Readable ``repr`` of generated models: absent (``UNSET``) fields are left out.

The generated models (dataclasses) print every field, so an event or request object read back from the
API shows ``<...Unset object at 0x...>`` for each field the API did not send. ``readable_repr``
walks the dataclass fields instead, recursing into nested models and lists; empty
``additional_properties`` are left out too.
"""

from __future__ import annotations

import dataclasses
from enum import Enum

from cannon_studio_api.types import Unset

__all__ = ["readable_repr"]


def readable_repr(value: object) -> str:
    """``Cls(field=value, ...)`` with only the fields that are set (pure)."""
    cls = type(value)
    if dataclasses.is_dataclass(cls):
        parts: list[str] = []
        for field in dataclasses.fields(cls):
            item = getattr(value, field.name)
            if isinstance(item, Unset) or (field.name == "additional_properties" and not item):
                continue
            parts.append(f"{field.name}={readable_repr(item)}")
        return f"{type(value).__name__}({', '.join(parts)})"
    if isinstance(value, list):
        return "[" + ", ".join(readable_repr(item) for item in value) + "]"
    if isinstance(value, Enum):
        return repr(value.value)
    return repr(value)
