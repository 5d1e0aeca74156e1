"""The operation registry: operation id -> envelope -> input model -> output model -> wrapper.

Built from the schema embedded in the generated package (``cannon_studio_api._schema``) and the
generated models: every ``<Cls>Envelope`` of ``CreateRequestBody.oneOf`` is one operation, with
the envelope extensions ``x-cannon-group``, ``x-cannon-output``, ``x-cannon-credits``,
``x-cannon-display-name`` and ``x-cannon-assumed``. A regenerated schema with a new operation is
reachable at once through ``client.requests.create(operation, input)``; ``WRAPPERS`` (hand-written)
gives the friendly ``client.<namespace>.<method>`` names, grouped like the docs.
"""

# ruff: noqa: ASYNC109  (the async API mirrors the sync one: wait(timeout=seconds))

from __future__ import annotations

import builtins
import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import (
    TYPE_CHECKING,
    Any,
    TypeAlias,
)

if TYPE_CHECKING:
    from ._client import AsyncCannon, Cannon
    from ._requests import AsyncRequestHandle, RequestHandle

    UpdateCallback: TypeAlias = Callable[[RequestHandle], object]
    AsyncUpdateCallback: TypeAlias = Callable[[AsyncRequestHandle], object]

WRAPPERS: dict[str, tuple[str, str]] = {
    # generation
    "video.generate": ("video", "generate"),
    "image.generate": ("images", "generate"),
    "image.edit": ("images", "edit"),
    "sora2.character_video.generate": ("sora", "generate_character_video"),
    "sora2.character.create": ("sora", "create_character"),
    "three_d.location.generate": ("locations", "generate_3d"),
    # prompting
    "prompt.enhance.video": ("prompts", "enhance_video"),
    "prompt.enhance.image": ("prompts", "enhance_image"),
    "prompt.enhance.location": ("prompts", "enhance_location"),
    "prompt.enhance.variant": ("prompts", "enhance_variant"),
    # audio
    "music.generate": ("audio", "music"),
    "narration.generate": ("audio", "narration"),
    "soundfx.generate": ("audio", "sound_effects"),
    # post-production
    "lipsync.generate": ("post_production", "lipsync"),
    "subtitles.generate": ("post_production", "subtitles"),
    "smartmotion.generate": ("post_production", "smart_motion"),
    "video.upscale": ("video", "upscale"),
    "sora2.video.edit": ("sora", "edit"),
    "sora2.video.extend": ("sora", "extend"),
    "sora2.video.remix": ("sora", "remix"),
}
"""Operation id -> (client namespace, method name) of its friendly wrapper."""


@dataclass(frozen=True)
class OperationSpec:
    """One operation of the API, as the schema describes it.

    Attributes:
        id: operation id, e.g. ``video.generate``.
        envelope_name / input_name / output_name: schema component names (``output_name`` may
            be ``None`` when the schema gives no ``x-cannon-output``).
        group: ``x-cannon-group`` (generation, prompting, audio, post_production).
        wrapper: ``namespace.method`` of the friendly wrapper, or ``None`` when it has none.
        display_name: ``x-cannon-display-name``; credits: ``x-cannon-credits`` ("1" or "dynamic").
        assumed: ``x-cannon-assumed`` (the operation is not documented; shape assumed).
        deprecated: the envelope is ``deprecated: true`` (sora2.video.remix).
        description: the envelope description from the schema.
    """

    id: str
    envelope_name: str
    input_name: str
    output_name: str | None
    group: str
    wrapper: str | None
    display_name: str
    credits: str
    assumed: bool
    deprecated: bool
    description: str
    required: tuple[str, ...] = field(default=())

    @property
    def envelope_model(self) -> Any:
        """The generated envelope class (``from_dict``/``to_dict``)."""
        return _model(self.envelope_name)

    @property
    def input_model(self) -> Any:
        """The generated ``<Cls>Input`` class."""
        return _model(self.input_name)

    @property
    def output_model(self) -> Any:
        """The generated output class named by ``x-cannon-output``, or ``None``."""
        return _model(self.output_name) if self.output_name else None


def _model(name: str) -> Any:
    from cannon_studio_api import models

    return getattr(models, name, None)


class OperationRegistry:
    """Lookup of ``OperationSpec`` by operation id (built once from the embedded schema)."""

    def __init__(self, specs: list[OperationSpec]) -> None:
        self._specs = {spec.id: spec for spec in specs}

    def get(self, operation: str) -> OperationSpec | None:
        """The spec of ``operation``, or ``None`` when the schema does not define it."""
        return self._specs.get(operation)

    def list(self) -> list[OperationSpec]:
        """All specs, in schema order."""
        return list(self._specs.values())

    def ids(self) -> builtins.list[str]:
        """All operation ids, sorted."""
        return sorted(self._specs)

    def __contains__(self, operation: object) -> bool:
        return operation in self._specs

    def __iter__(self) -> Iterator[OperationSpec]:
        return iter(self._specs.values())

    def __len__(self) -> int:
        return len(self._specs)

    def __repr__(self) -> str:
        return f"OperationRegistry({len(self._specs)} operations)"


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def build_registry(schema: dict[str, Any]) -> OperationRegistry:
    """Build the registry from an OpenAPI document shaped like ``openapi/cannon-studio.json``."""
    components = schema["components"]["schemas"]
    specs: list[OperationSpec] = []
    for member in components["CreateRequestBody"]["oneOf"]:
        envelope_name = _ref_name(member["$ref"])
        envelope = components[envelope_name]
        props = envelope["properties"]
        operation = props["operation"].get("const") or props["operation"].get("default")
        input_name = _ref_name(props["input"]["$ref"])
        wrapper = WRAPPERS.get(operation)
        specs.append(
            OperationSpec(
                id=operation,
                envelope_name=envelope_name,
                input_name=input_name,
                output_name=envelope.get("x-cannon-output"),
                group=envelope.get("x-cannon-group", "other"),
                wrapper=f"{wrapper[0]}.{wrapper[1]}" if wrapper else None,
                display_name=envelope.get("x-cannon-display-name", operation),
                credits=str(envelope.get("x-cannon-credits", "dynamic")),
                assumed=bool(envelope.get("x-cannon-assumed", False)),
                deprecated=bool(envelope.get("deprecated", False)),
                description=envelope.get("description", ""),
                required=tuple(components[input_name].get("required", ())),
            )
        )
    return OperationRegistry(specs)


@functools.cache
def registry() -> OperationRegistry:
    """The registry of the embedded schema (built on first use, then cached)."""
    from cannon_studio_api._schema import load_schema

    return build_registry(load_schema())


# ---------------------------------------------------------------------------------------------
# Namespace bases. The typed wrappers themselves (one ``<Cls>Params`` TypedDict per ``<Cls>Input``
# schema component and one method per operation in the namespace named by ``WRAPPERS``) are
# generated into ``_wrappers.py`` by scripts/generate_wrappers.py.
# ---------------------------------------------------------------------------------------------


class _SyncNamespace:
    def __init__(self, client: Cannon) -> None:
        self._client = client

    def _call(
        self,
        operation: str,
        input: Mapping[str, Any],
        *,
        wait: bool,
        webhook_url: str | None,
        idempotency_key: str | None,
        timeout: float | None,
        on_update: UpdateCallback | None,
    ) -> Any:
        handle = self._client.requests.create(
            operation, input, webhook_url=webhook_url, idempotency_key=idempotency_key
        )
        if not wait:
            return handle
        return handle.wait(timeout=timeout, on_update=on_update).output

    def __repr__(self) -> str:
        return f"<{type(self).__name__} namespace>"


class _AsyncNamespace:
    def __init__(self, client: AsyncCannon) -> None:
        self._client = client

    async def _call(
        self,
        operation: str,
        input: Mapping[str, Any],
        *,
        wait: bool,
        webhook_url: str | None,
        idempotency_key: str | None,
        timeout: float | None,
        on_update: AsyncUpdateCallback | None,
    ) -> Any:
        handle = await self._client.requests.create(
            operation, input, webhook_url=webhook_url, idempotency_key=idempotency_key
        )
        if not wait:
            return handle
        return (await handle.wait(timeout=timeout, on_update=on_update)).output

    def __repr__(self) -> str:
        return f"<{type(self).__name__} namespace>"
