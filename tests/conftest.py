"""Suite-wide test configuration: which tests are ``slow``.

``make test-fast`` (``pytest -m "not slow"``) is the developers' loop; ``make test`` and CI run
everything. A test is ``slow`` when marked so in its module, or when its node id starts with a
prefix below (each with what makes it slow), so that the list is read in one place.
"""

from __future__ import annotations

import pytest

SLOW_PREFIXES = {
    "tests/packaging/": "builds the wheel and fresh virtual environments",
    "tests/demo/": "runs the demo end to end in subprocesses against a sandbox",
    "tests/examples/": "runs every example program in a subprocess",
    "tests/faults/": "the fault suite: hundreds of requests through injected faults",
    "tests/batch/test_batch_safety.py": "batch runs in subprocesses against a sandbox process",
    "tests/batch/test_engine_dask.py": "local Dask clusters (worker processes) on loopback",
    "tests/batch/test_journal_postgres.py::test_a_killed": "waits for a lease to expire",
    "tests/batch/test_journal_postgres.py::test_two_runs": "two drivers on a real PostgreSQL",
    "tests/batch/test_shared_journal.py::test_three_workers": "2,000 jobs, three workers, a kill",
    "tests/readme/": "runs the README's examples against a served sandbox",
    "tests/redteam/test_hostile_responses.py": "hypothesis against hostile loopback servers",
    "tests/redteam/test_downloads_redteam.py::test_thousands_of_equal_names": "10^4 names",
    "tests/drift/test_drift_sandbox.py": "make check-drift against a served sandbox",
    "tests/schema_source/test_hostile_codegen.py::test_hostile_values": "regenerates per case",
    "tests/schema_source/test_hostile_codegen.py::test_full_regenerate": "runs make regenerate",
    "tests/schema_source/test_refs_refused.py::test_regenerate": "runs regenerate per case",
    "tests/schema_source/test_refs_refused.py::test_drift_check": "drift check in subprocesses",
    "tests/schema_source/test_limits.py::test_regenerate": "runs regenerate per case",
    "tests/schema_source/test_limits.py::test_drift_check": "drift check in subprocesses",
    "tests/schema_source/test_limits.py::test_parse_gives": "parses bombs up to the limits",
    "tests/schema_source/test_key_home.py::test_redirect": "loopback servers, 1 s shutdown each",
    "tests/schema_source/test_key_home.py::test_regenerate": "runs regenerate",
    "tests/schema_source/test_key_home.py::test_http_source": "loopback servers",
    "tests/schema_source/test_import_check_isolated.py": "generates a client in a subprocess",
    "tests/drift/test_drift_generated.py": "runs the generator into a temporary tree",
    "tests/schema_shapes/test_schema_model_hostile.py": "hypothesis over whole documents",
    "tests/overlay/test_public_types.py::test_public_signatures_type_check": "runs mypy --strict",
    "tests/overlay/test_sandbox_clients.py::test_as_completed": "waits for real sandbox jobs",
    "tests/overlay/test_gate_and_pool.py::test_transports_reuse": "real loopback connections",
    "tests/cli/test_cli_progress.py::test_long_run": "waits for real sandbox jobs",
    "tests/cli/test_cli_progress.py::test_json_mode": "waits for a real sandbox job",
    "tests/cli/test_cli_progress.py::test_wait_for_several": "waits for real sandbox jobs",
}
"""Node-id prefix -> why its tests are slow (marked ``slow`` at collection)."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.nodeid.startswith(tuple(SLOW_PREFIXES)):
            item.add_marker(pytest.mark.slow)
