"""``Output``: what a succeeded request gives, one generated output model per kind of result.

``client.run(...)``, ``handle.output`` and every ``wait=True`` wrapper return one of these
(which one is the operation's ``x-cannon-output``). Imported at runtime so that ``Output`` can
be used in ``isinstance`` checks and annotations alike (``from cannon_studio import Output``).
"""

from __future__ import annotations

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

__all__ = ["Output"]

Output: TypeAlias = (
    AudioOutput
    | CharacterOutput
    | ImageOutput
    | Location3DOutput
    | PromptOutput
    | TaskOutput
    | VideoOutput
)
"""The union of the output models of the schema's operations."""
