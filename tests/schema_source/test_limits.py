"""Limits that give a sentence, not a traceback: size, nesting depth, reference count and YAML
alias expansion, for regenerate, the drift check and ``cannon-studio schema``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import check_drift
import pytest
import regenerate
from cannon_studio.cli import cli
from cannon_studio_schema import SchemaError, parse_text, source
from click.testing import CliRunner

from tests.schema_source.servers import Recorder

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT_PATH = ROOT / "openapi" / "cannon-studio.json"

DEEP_JSON = '{"openapi": "3.1.0", "paths": {}, "x-deep": ' + "[" * 100_000 + "]" * 100_000 + "}"
DEEP_YAML = "openapi: 3.1.0\npaths: {}\nx-deep: " + "[" * 50_000 + "]" * 50_000 + "\n"
DEEP_YAML_MAPPINGS = "openapi: 3.1.0\nx-deep: " + "{a: " * 50_000 + "1" + "}" * 50_000 + "\n"
ALIAS_BOMB = "openapi: 3.1.0\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 9)
)
RECURSIVE_ALIAS = "openapi: 3.1.0\nloop: &loop [*loop]\n"


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    texts = {
        "deep.json": DEEP_JSON,
        "deep.yaml": DEEP_YAML,
        "deep-mappings.yaml": DEEP_YAML_MAPPINGS,
        "alias-bomb.yaml": ALIAS_BOMB,
        "recursive.yaml": RECURSIVE_ALIAS,
    }
    for name, text in texts.items():
        (folder / name).write_text(text)
    return {name: folder / name for name in texts}


EXPECTED = {
    "deep.json": "nested more than",
    "deep.yaml": "nested more than",
    "deep-mappings.yaml": "nested more than",
    "alias-bomb.yaml": "YAML aliases expanded",
    "recursive.yaml": "nested more than",
}


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "RecursionError" not in err
    return lines[0]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_parse_gives_a_typed_error(name: str, documents: dict[str, Path]) -> None:
    with pytest.raises(SchemaError, match=EXPECTED[name]):
        parse_text(documents[name].read_text(), name)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_regenerate_exits_2_with_one_sentence(
    name: str, documents: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert regenerate.main([str(documents[name])]) == 2
    line = _one_line(capsys.readouterr().err)
    assert line.startswith("regenerate: ") and EXPECTED[name] in line


@pytest.mark.parametrize("name", ["deep.json", "deep.yaml", "alias-bomb.yaml"])
def test_drift_check_and_schema_diff_exit_2(
    name: str, documents: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert check_drift.main(["--url", str(documents[name]), "--skip-generated"]) == 2
    assert EXPECTED[name] in _one_line(capsys.readouterr().err)
    result = CliRunner().invoke(
        cli, ["schema", "diff", str(SNAPSHOT_PATH), str(documents[name])], catch_exceptions=False
    )
    assert result.exit_code == 2 and EXPECTED[name] in _one_line(result.stderr)


def test_depth_limit_is_exact() -> None:
    def nested(levels: int) -> str:
        # The top-level object is level 1; each array adds one.
        return '{"x": ' + "[" * (levels - 1) + "]" * (levels - 1) + "}"

    parse_text(nested(source.MAX_DEPTH), "ok")
    with pytest.raises(SchemaError, match=f"nested more than {source.MAX_DEPTH} levels"):
        parse_text(nested(source.MAX_DEPTH + 1), "too deep")


def test_reference_count_is_limited(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "MAX_REFS", 3)
    refs = [{"$ref": "#/components"} for _ in range(4)]
    text = json.dumps({"openapi": "3.1.0", "components": {}, "x": refs})
    with pytest.raises(SchemaError, match="more than 3 references"):
        parse_text(text, "many refs")
    parse_text(json.dumps({"openapi": "3.1.0", "components": {}, "x": refs[:3]}), "ok")


def test_size_is_limited_for_files_text_and_urls(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(source, "MAX_DOCUMENT_BYTES", 1000)
    big = json.dumps({"openapi": "3.1.0", "x": "y" * 2000})
    path = tmp_path / "big.json"
    path.write_text(big)
    with pytest.raises(SchemaError, match="at most 1,000 are read"):
        source.read_source(str(path))
    with pytest.raises(SchemaError, match="at most 1,000 are read"):
        parse_text(big, "text")
    with Recorder() as server:
        url = server.serve("/big.json", big.encode())
        with pytest.raises(SchemaError, match="at most 1,000 are read"):
            source.read_source(url)


@pytest.fixture
def chunked() -> Iterator[str]:
    """A server that streams an endless body with no Content-Length."""
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
            chunk = b"x" * 4096
            try:
                while not stop.is_set():
                    conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except OSError:
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/endless"
    stop.set()
    listener.close()
    thread.join(timeout=5)


def test_endless_body_stops_at_the_size_limit(
    chunked: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(source, "MAX_DOCUMENT_BYTES", 100_000)
    with pytest.raises(SchemaError, match="larger than 100,000 bytes"):
        source.read_source(chunked)
