"""The operation registry: operation id -> envelope -> input model -> output model -> wrapper.

Built from the operation model of ``cannon_studio_schema`` (the one reader of the schema; this
module never walks the document): every operation the create body describes, whatever its shape,
with its ``x-cannon-*`` facts. A regenerated schema with a new operation is reachable at once
through ``client.requests.create(operation, input)``; ``WRAPPERS`` (hand-written) gives the
friendly ``client.<namespace>.<method>`` names, grouped like the docs, and
:func:`wrapper_names` derives a name for every operation the table does not know.
"""

from __future__ import annotations

import builtins
import functools
import keyword
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import (
    TYPE_CHECKING,
    Any,
)

from cannon_studio_api import models

if TYPE_CHECKING:
    from cannon_studio_schema import ApiSchema, Operation

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


RESERVED_NAMESPACES = frozenset(
    {"requests", "webhooks", "operations", "status", "close", "batch", "with_options"}
)
"""Client attributes a derived namespace must not shadow (it gets an ``_ops`` suffix)."""


def _identifier(text: str) -> str:
    name = re.sub(r"[^0-9a-z_]+", "_", text.lower()).strip("_") or "operation"
    if name[0].isdigit() or keyword.iskeyword(name):
        name = "op_" + name
    return name


def wrapper_names(
    operation_ids: builtins.list[str], table: Mapping[str, tuple[str, str]] | None = None
) -> dict[str, tuple[str, str]]:
    """``(namespace, method)`` for every id: the table's name, else a derived one.

    A derived name takes the namespace the table uses for ids with the same first segment
    (``image.upscale`` -> ``images``), else the first segment itself, and the method from the
    remaining segments (``images.upscale``); a clash with a taken method uses the whole id.

    Args:
        operation_ids: ids in schema order.
        table: friendly names (default: :data:`WRAPPERS`).

    Returns:
        ``{operation id: (namespace, method)}`` in the order of ``operation_ids``.
    """
    table = WRAPPERS if table is None else table
    names = {op: table[op] for op in operation_ids if op in table}
    taken = {pair for pair in table.values()}
    for op in operation_ids:
        if op in names:
            continue
        words = [w for w in re.split(r"\.", op) if w]
        first = words[0] if words else op
        homes = Counter(ns for known, (ns, _) in table.items() if known.split(".")[0] == first)
        namespace = homes.most_common(1)[0][0] if homes else _identifier(first)
        if namespace in RESERVED_NAMESPACES:
            namespace += "_ops"
        method = _identifier("_".join(words[1:])) if len(words) > 1 else "create"
        if (namespace, method) in taken:
            method = _identifier("_".join(words))
        while (namespace, method) in taken:
            method += "_"
        taken.add((namespace, method))
        names[op] = (namespace, method)
    return {op: names[op] for op in operation_ids}


@dataclass(frozen=True)
class OperationSpec:
    """One operation of the API, as the schema describes it.

    Attributes:
        id: operation id, e.g. ``video.generate``.
        envelope_name / input_name / output_name: schema component names, each ``None`` when
            the schema does not name one (inline envelope or input, no ``x-cannon-output``).
        group: ``x-cannon-group`` (generation, prompting, audio, post_production; else other).
        wrapper: ``namespace.method`` of the typed wrapper (friendly or derived).
        display_name: ``x-cannon-display-name``; credits: ``x-cannon-credits`` ("1" or "dynamic").
        assumed: ``x-cannon-assumed`` (the operation is not documented; shape assumed).
        deprecated: the envelope is ``deprecated: true`` (sora2.video.remix).
        description: the envelope description from the schema.
        required: required input fields.
        schema: the ``cannon_studio_schema.Operation`` it was built from (fields, pointers).
    """

    id: str
    envelope_name: str | None
    input_name: str | None
    output_name: str | None
    group: str
    wrapper: str | None
    display_name: str
    credits: str
    assumed: bool
    deprecated: bool
    description: str
    required: tuple[str, ...] = field(default=())
    schema: Operation | None = field(default=None, repr=False, compare=False)

    @property
    def envelope_model(self) -> Any:
        """The generated envelope class, or ``None`` when the schema does not name one."""
        return _model(self.envelope_name) if self.envelope_name else None

    @property
    def input_model(self) -> Any:
        """The generated ``<Cls>Input`` class, or ``None`` when the schema does not name one."""
        return _model(self.input_name) if self.input_name else None

    @property
    def output_model(self) -> Any:
        """The generated output class named by ``x-cannon-output``, or ``None``."""
        return _model(self.output_name) if self.output_name else None


def parse_output(operation: str, value: Any) -> tuple[Any, str | None]:
    """The output of a request of ``operation``, parsed with that operation's own model.

    The generated ``RequestObject.output`` is a union tried in document order: a model with no
    required field (pydantic's ``asset_type: Literal["video"] = "video"``) swallows every payload.
    The operation says which model the payload is; while the request runs, the payload is the
    downstream task's metadata (``TaskOutput``).

    Args:
        operation: the request's operation id.
        value: ``RequestObject.output`` as the generated client parsed it (a model, a dict,
            ``None`` or ``UNSET``).

    Returns:
        ``(model instance or None, problem)``: ``problem`` is one sentence when a payload fits
        neither the operation's output nor ``TaskOutput`` (the instance is then ``None``; the
        payload stays in ``RequestObject.output``), else ``None``.
    """
    raw = value.to_dict() if hasattr(value, "to_dict") else value
    if not isinstance(raw, dict):
        return None, None
    spec = registry().get(operation)
    wanted = spec.output_model if spec is not None else None
    for model in (wanted, _model("TaskOutput")):
        if model is None:
            continue
        if isinstance(value, model):
            return value, None
        try:
            return model.from_dict(raw), None
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    if wanted is None:  # no output named for the operation: the generated union decides
        return (value if hasattr(value, "to_dict") else None), None
    keys = ", ".join(sorted(map(str, raw))[:8]) or "no keys"
    return None, (
        f"the output of this {operation} request fits neither {wanted.__name__} nor TaskOutput "
        f"(keys: {keys}); handle.raw_output has it as received"
    )


def _model(name: str) -> Any:
    """The generated model class ``name`` (loaded on first use by the models package)."""
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


def build_registry(schema: ApiSchema | Mapping[str, Any]) -> OperationRegistry:
    """Build the registry from a schema model (or a parsed document, modelled first).

    Raises:
        cannon_studio_schema.SchemaError: the document cannot be modelled.
    """
    # Deferred (docs/architecture.md): the schema model loads with the registry, which a GET
    # never needs.
    from cannon_studio_schema import ApiSchema

    model = schema if isinstance(schema, ApiSchema) else ApiSchema(schema)
    names = wrapper_names(list(model.ids))
    specs = [
        OperationSpec(
            id=op.id,
            envelope_name=op.envelope_name,
            input_name=op.input_name,
            output_name=op.output_name,
            group=op.group,
            wrapper=".".join(names[op.id]),
            display_name=op.display_name,
            credits=op.credits,
            assumed=op.assumed,
            deprecated=op.deprecated,
            description=op.description,
            required=op.required,
            schema=op,
        )
        for op in model.operations
    ]
    return OperationRegistry(specs)


@functools.cache
def registry() -> OperationRegistry:
    """The registry of the embedded schema (built on first use, then cached)."""
    from cannon_studio_schema import embedded  # deferred, as in build_registry

    return build_registry(embedded())
