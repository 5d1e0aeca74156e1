"""``Output``: what a succeeded request gives, one generated output model per kind of result.

``client.run(...)``, ``handle.output`` and every ``wait=True`` wrapper return one of these
(which one is the operation's ``x-cannon-output``). ``Output`` is built on first use (module
``__getattr__``): the union needs every output model, and a client that only polls must not
load them (a pending request's first GET loads only the models it parses).
"""

from __future__ import annotations

import functools
import operator
from typing import TYPE_CHECKING, Any

from cannon_studio_api import models

if TYPE_CHECKING:
    from typing import TypeAlias

    from cannon_studio_api.models import (
        AudioOutput,
        CharacterOutput,
        ImageOutput,
        Location3DOutput,
        PromptOutput,
        TaskOutput,
        VideoOutput,
    )

    Output: TypeAlias = (
        AudioOutput
        | CharacterOutput
        | ImageOutput
        | Location3DOutput
        | PromptOutput
        | TaskOutput
        | VideoOutput
    )

__all__ = ["OUTPUT_MODELS", "Output"]

OUTPUT_MODELS = (
    "AudioOutput",
    "CharacterOutput",
    "ImageOutput",
    "Location3DOutput",
    "PromptOutput",
    "TaskOutput",
    "VideoOutput",
)
"""The generated output models ``Output`` is the union of (the ``TYPE_CHECKING`` alias too)."""


def __getattr__(name: str) -> Any:
    if name != "Output":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    union = functools.reduce(operator.or_, (getattr(models, model) for model in OUTPUT_MODELS))
    globals()["Output"] = union
    return union
