"""The per-layer CPU measure runs both children against a real sandbox process and prints one
line per layer, each with its step over the layer below."""

from __future__ import annotations

import re

from scripts.bench.layer_costs import layer_lines, measure_layers
from scripts.bench.sandbox_process import SandboxProcess

FIGURE = re.compile(r"\s(\d+) us(?:\s+([+-]\d+))?$")


def test_layers_measured_bottom_up_beside_raw_aiohttp() -> None:
    with SandboxProcess() as sandbox:
        data = measure_layers(sandbox, n=40, rounds=1)
    names = [name for name, _ in data["layers"]]
    assert names[0].endswith("(httpx2 Request and Response)")
    assert names[-1] == "+ requests.retrieve (a handle)"
    assert all(name.startswith("+ ") for name in names[1:])
    figures = [data["aiohttp_get_us"], *(us for _, us in data["layers"])]
    assert all(us > 0 for us in [*figures, data["aiohttp_create_us"], data["create_us"]])

    lines = layer_lines(data)
    assert "no profiler" in lines[0] and "40 calls a pass" in lines[0]
    body = [FIGURE.search(line) for line in lines[1:]]
    assert all(body), lines
    shown = [int(m.group(1)) for m in body if m]
    steps = [int(m.group(2)) for m in body if m and m.group(2)]
    assert len(lines) == 1 + 1 + len(names) + 2
    assert shown[: len(figures)] == [round(us) for us in figures]
    # each layer's step is over the one printed above it (the last step is the create's)
    below = figures[:-1]
    assert [round(us - b) for us, b in zip(figures[1:], below, strict=True)] == steps[:-1]
    assert steps[-1] == round(data["create_us"] - data["aiohttp_create_us"])
