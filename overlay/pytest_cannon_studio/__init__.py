"""cannon-studio's pytest entry point (``pytest11``): the sandbox fixtures, when the extra is there.

pytest loads this module into every run in an environment where cannon-studio is installed, so it
imports nothing but the standard library. When the ``[sandbox]`` extra's packages are installed
it asks pytest (``pytest_plugins``) to load :mod:`cannon_studio_sandbox.pytest_plugin`, which
provides the ``cannon_sandbox`` and ``cannon_sandbox_app`` fixtures and the ``cannon_sandbox``
marker exactly as before. Without the extra it loads nothing, registers nothing and warns about
nothing, so a plain ``pip install cannon-studio`` leaves users' test runs untouched (even under
``pytest -W error``). ``-p no:cannon_studio_sandbox`` turns it off in either case.

Why an entry point with a check rather than an explicit opt-in (``-p`` or ``pytest_plugins``):
test suites that install ``cannon-studio[sandbox]`` keep getting the fixture with no change, and
everyone else pays one ``importlib.util.find_spec`` per package of the extra.
"""

from __future__ import annotations

import importlib.util

SANDBOX_PLUGIN = "cannon_studio_sandbox.pytest_plugin"
"""The plugin module this entry point loads when the extra is installed."""

SANDBOX_EXTRA_MODULES = ("starlette", "uvicorn", "jsonschema", "PIL", "av", "pygltflib")
"""Top-level modules of the ``[sandbox]`` extra's packages (see ``pyproject.toml``)."""


def sandbox_extra_installed() -> bool:
    """Whether every package of the ``[sandbox]`` extra can be imported (nothing is imported)."""
    return all(importlib.util.find_spec(name) is not None for name in SANDBOX_EXTRA_MODULES)


pytest_plugins = [SANDBOX_PLUGIN] if sandbox_extra_installed() else []
