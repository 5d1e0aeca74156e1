"""No code from the document: hostile strings in every schema value that reaches generated Python
(display names, credits, descriptions, enum values, defaults, examples, operation ids, field,
input and output component names) never execute, and the output compiles, or regenerate refuses
in one sentence.

In process, hypothesis renders the wrappers several hundred times per field and proves, with
Python's own tokenizer, that the marker each hostile string carries lands only inside string
literals (or comments); a few full regenerates then import the result in the isolated import
check and look for the file the payload would have created.
"""

from __future__ import annotations

import copy
import io
import json
import os
import tokenize
from collections.abc import Callable
from pathlib import Path
from typing import Any

import generate_wrappers
import pytest
import regenerate
from cannon_studio_schema import ApiSchema, SchemaError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_escape import (
    UnsafeName,
    docstring,
    identifier,
    is_identifier,
    literal,
    visible_surrogates,
)

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT: dict[str, Any] = json.loads((ROOT / "openapi" / "cannon-studio.json").read_text())
MARK = "PWNED7731"
EXAMPLES_PER_FIELD = 300

FRAGMENTS = [
    '"""', "'''", '"', "'", "\\", "\\\\", "\n", "\r", "\r\n", "\x00", "\x0b", "\x0c", "\x1c",
    "\x85", "\u2028", "\u2029", "\ud800", "\U0001f600", "#", "# noqa", ")", "]", "}", "{", ":",
    ";", "\t", "    ", "\\N{BULLET}", "\\x41", "`", "|", "<script>", "${{ secrets.X }}",
    f"__import__('os').system('{MARK}')", f'\n"""\nraise SystemExit("{MARK}")\n"""',
    f"\nimport os; os.system('{MARK}')  #", "\\\n", "f'{", "class", "def", "lambda",
]  # fmt: skip
hostile = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), min_size=1, max_size=10
).map(lambda parts: "".join(parts) + MARK)


def _small(doc: dict[str, Any]) -> dict[str, Any]:
    """The snapshot cut down to its create endpoint with one operation (video.generate) and
    the components that reaches, so each example renders in milliseconds."""
    body = doc["components"]["schemas"]["CreateRequestBody"]
    body["oneOf"] = [v for v in body["oneOf"] if v["$ref"].endswith("/VideoGenerateEnvelope")]
    body.pop("discriminator", None)
    create = ApiSchema(doc).create_path
    doc["paths"] = {create: {"post": doc["paths"][create]["post"]}}
    schemas = doc["components"]["schemas"]
    keep: set[str] = set()
    todo: list[Any] = [doc["paths"]]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[-1]
                if name not in keep:
                    keep.add(name)
                    todo.append(schemas[name])
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    doc["components"] = {"schemas": {name: schemas[name] for name in sorted(keep)}}
    return doc


BASE = _small(copy.deepcopy(SNAPSHOT))
Setter = Callable[[dict[str, Any], str], None]


def _schemas(doc: dict[str, Any]) -> dict[str, Any]:
    schemas: dict[str, Any] = doc["components"]["schemas"]
    return schemas


def _envelope(doc: dict[str, Any]) -> dict[str, Any]:
    envelope: dict[str, Any] = _schemas(doc)["VideoGenerateEnvelope"]
    return envelope


def _input(doc: dict[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = _schemas(doc)["VideoGenerateInput"]
    return node


def _display_name(doc: dict[str, Any], value: str) -> None:
    _envelope(doc)["x-cannon-display-name"] = value


def _credits(doc: dict[str, Any], value: str) -> None:
    _envelope(doc)["x-cannon-credits"] = value


def _operation_description(doc: dict[str, Any], value: str) -> None:
    _envelope(doc)["description"] = value


def _field_description(doc: dict[str, Any], value: str) -> None:
    _input(doc)["properties"]["prompt"]["description"] = value


def _enum_value(doc: dict[str, Any], value: str) -> None:
    _input(doc)["properties"]["prompt"] = {"type": "string", "enum": [value, "plain"]}


def _default_and_example(doc: dict[str, Any], value: str) -> None:
    prop = _input(doc)["properties"]["prompt"]
    prop["default"], prop["examples"], prop["title"] = value, [value], value


def _field_name(doc: dict[str, Any], value: str) -> None:
    node = _input(doc)
    node["properties"][value] = {"type": "string", "description": "d"}
    node.setdefault("required", []).append(value)


def _operation_id(doc: dict[str, Any], value: str) -> None:
    operation = _envelope(doc)["properties"]["operation"]
    operation["const"] = operation["default"] = value


def _component_safe(value: str) -> str:
    # A JSON pointer segment: no '/', '~' or '%' (they would change what the $ref names).
    return "".join(c for c in value if c not in "/~%") or MARK


def _input_component_name(doc: dict[str, Any], value: str) -> None:
    name = _component_safe(value)
    _schemas(doc)[name] = _schemas(doc).pop("VideoGenerateInput")
    _envelope(doc)["properties"]["input"] = {"$ref": "#/components/schemas/" + name}


def _output_component_name(doc: dict[str, Any], value: str) -> None:
    name = _component_safe(value)
    _schemas(doc)[name] = {"type": "object", "description": value}
    _envelope(doc)["x-cannon-output"] = name


FIELDS: dict[str, Setter] = {
    "x-cannon-display-name": _display_name,
    "x-cannon-credits": _credits,
    "operation description": _operation_description,
    "field description": _field_description,
    "enum value": _enum_value,
    "default, example and title": _default_and_example,
    "field name": _field_name,
    "operation id": _operation_id,
    "input component name": _input_component_name,
    "output component name": _output_component_name,
}
NAMES = {"input component name", "output component name"}
"""Fields that name Python syntax: regenerate may refuse them (in one sentence)."""


# Literal text: strings, comments, and (Python 3.12+, PEP 701) the text parts of an f-string,
# which the tokenizer now yields apart from its replacement fields (those stay code tokens).
LITERAL_TOKENS = {tokenize.STRING, tokenize.COMMENT} | (
    {tokenize.FSTRING_MIDDLE} if hasattr(tokenize, "FSTRING_MIDDLE") else set()
)


def _mark_only_in_literals(path: str, text: str, names_allowed: bool = False) -> None:
    """``text`` compiles, and the marker appears only inside string literals or comments, or,
    when ``names_allowed`` (the whole hostile value is one plain Python name, so it can add no
    operator, call or statement), inside a name token."""
    code = compile(text, path, "exec")  # the output compiles
    assert code is not None
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if MARK in token.string and not (names_allowed and token.type == tokenize.NAME):
            assert token.type in LITERAL_TOKENS, (path, token)
        # Every name token is an identifier the tokenizer agrees on (nothing smuggled as code).
        if token.type == tokenize.NAME:
            assert token.string.isidentifier()


def _render(doc: dict[str, Any]) -> dict[str, str] | None:
    """The unformatted wrapper files, or ``None`` when the document is refused in one sentence."""
    try:
        model = ApiSchema(doc)
        files = generate_wrappers._Emitter(model, {}).files()
    except (UnsafeName, SchemaError) as exc:
        message = str(exc)
        assert "\n" not in message and "\r" not in message and message.endswith(".")
        return None
    return files


@pytest.mark.parametrize("field", sorted(FIELDS))
def test_hostile_values_never_become_code(field: str) -> None:
    refused = 0

    @settings(
        max_examples=EXAMPLES_PER_FIELD,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(value=hostile)
    def check(value: str) -> None:
        nonlocal refused
        doc = copy.deepcopy(BASE)
        FIELDS[field](doc, value)
        files = _render(doc)
        if files is None:
            assert field in NAMES, f"{field} must be escaped, not refused"
            refused += 1
            return
        names_allowed = field in NAMES | {"field name"} and is_identifier(_component_safe(value))
        for path, text in files.items():
            text.encode("utf-8")  # every file can be written (no lone surrogate left raw)
            if path.endswith(".py"):
                _mark_only_in_literals(path, text, names_allowed)

    check()
    if field not in NAMES:
        assert refused == 0


def test_a_field_name_that_is_not_a_python_name_keeps_its_json_spelling() -> None:
    doc = copy.deepcopy(BASE)
    _field_name(doc, "aspect-ratio")
    _field_name(doc, "class")
    files = _render(doc)
    assert files is not None
    video = files[f"{generate_wrappers.RESOURCES}/video.py"]
    assert "VideoGenerateParams = TypedDict(" in video
    assert '"aspect-ratio": Required[str]' in video and '"class": Required[str]' in video
    _mark_only_in_literals("video.py", video)


@pytest.mark.parametrize(
    "text", ['a"', '"""', "\\", 'x\\"""', "\x00\r\u2028\ud800", "'''\"\"\"'''", "end\\"]
)
def test_docstring_round_trips(text: str) -> None:
    namespace: dict[str, Any] = {}
    exec(compile(f'def f():\n    """{docstring(text)}"""\n', "t", "exec"), namespace)
    assert namespace["f"].__doc__ == visible_surrogates(text)


@pytest.mark.parametrize("text", ["\ud800", "a\udfffb", "\udbff\udc00", "x\\ud800"])
def test_a_lone_surrogate_stays_visible_text_in_docstrings_and_markdown(text: str) -> None:
    # Python 3.13 compiles a docstring only if its value encodes as UTF-8; a file on disk too.
    shown = visible_surrogates(text)
    shown.encode("utf-8")
    assert "\\u" in shown and len(shown) == len(text) + 5 * sum(
        "\ud800" <= char <= "\udfff" for char in text
    )
    namespace: dict[str, Any] = {}
    exec(compile(f'def f():\n    """{docstring(text)}\n\n    x\n    """\n', "t", "exec"), namespace)
    assert namespace["f"].__doc__.startswith(shown)
    for escaped in (generate_wrappers.md_text(text), generate_wrappers.md_code(text)):
        escaped.encode("utf-8")
        assert shown.replace("\\", "") in escaped.replace("\\", "")


@pytest.mark.parametrize(
    "name", ["", "1x", "class", "a-b", "\uff46\uff4f\uff4f", "__import__", "a\nb", "a b"]
)
def test_unsafe_identifiers_are_refused_in_one_sentence(name: str) -> None:
    with pytest.raises(UnsafeName) as caught:
        identifier(name, "component name")
    assert "\n" not in str(caught.value) and str(caught.value).endswith("rename it in the schema.")


def test_literals() -> None:
    values = ("a'\"", "plain", "it's", 3, True, None)
    assert [literal(v) for v in values] == ["'a\\'\"'", '"plain"', '"it\'s"', "3", "True", "None"]
    for value in values:
        assert eval(str(literal(value))) == value
    assert literal(1.5) is None and literal({"a": 1}) is None and literal([1]) is None


PAYLOAD = '"""\nimport pathlib; pathlib.Path({path!r}).touch()\n"""'


@pytest.mark.parametrize(
    "fields",
    [
        ["x-cannon-display-name", "x-cannon-credits", "operation description", "operation id"],
        ["field description", "enum value", "field name"],
        ["default, example and title"],
    ],
)
def test_full_regenerate_with_hostile_values_runs_nothing(
    fields: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "pwned"
    monkeypatch.setenv("CANNON_API_KEY", "cs_live_must_not_reach_the_import_check")
    doc = copy.deepcopy(SNAPSHOT)
    for field in fields:
        FIELDS[field](doc, PAYLOAD.format(path=str(marker)) + MARK)
    text = regenerate.normalise(doc)
    work = tmp_path / "work"
    work.mkdir()
    try:
        result = regenerate.build(text, work)
    except regenerate.PipelineError as exc:
        assert "\n" not in str(exc)
    else:
        for path, body in result.wrappers.items():
            if path.endswith(".py"):
                _mark_only_in_literals(path, body)
        for module in sorted(result.package.rglob("*.py")):
            _mark_only_in_literals(str(module), module.read_text(encoding="utf-8"))
    assert not marker.exists()
    assert not os.path.exists(os.path.join(work, "pwned"))
