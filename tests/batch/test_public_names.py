"""``cannon_studio.batch.__all__`` holds only public names, each with a public home; the
internals it exported before still import, with a ``DeprecationWarning``."""

from __future__ import annotations

import importlib
import warnings

import cannon_studio.batch as batch
import pytest


def test_all_holds_public_names_only() -> None:
    for name in batch.__all__:
        value = getattr(batch, name)
        module = getattr(value, "__module__", "cannon_studio.batch")
        assert not name.startswith("_"), name
        if callable(value) and module.startswith("cannon_studio.batch."):
            assert value.__doc__, f"{name} is public and has no docstring"
    assert set(batch.__all__).isdisjoint(batch._INTERNAL)


@pytest.mark.parametrize("name", sorted(batch._INTERNAL))
def test_an_internal_name_still_imports_with_a_deprecation_warning(name: str) -> None:
    with pytest.warns(DeprecationWarning, match=rf"cannon_studio\.batch\.{name} is internal"):
        value = getattr(importlib.import_module("cannon_studio.batch"), name)
    assert value is getattr(batch._INTERNAL[name], name)


def test_public_names_import_without_a_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in batch.__all__:
            getattr(batch, name)
    with pytest.raises(AttributeError):
        batch.no_such_name  # noqa: B018
