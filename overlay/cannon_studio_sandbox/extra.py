"""What the ``[sandbox]`` extra brings, and the one sentence said when it is not installed.

Standard library only, so it can be asked before anything of the extra is imported: the package
itself and ``python -m cannon_studio_sandbox`` use it to answer a plain ``pip install
cannon-studio`` with a sentence naming the extra instead of a ``ModuleNotFoundError`` traceback.
(``cannon_studio``'s CLI and the pytest entry point keep their own list of these modules: an
import contract keeps them from importing this package.)
"""

from __future__ import annotations

EXTRA_MODULES = ("starlette", "uvicorn", "jsonschema", "PIL", "av", "pygltflib")
"""Top-level modules of the ``[sandbox]`` extra's packages (see ``pyproject.toml``)."""

INSTALL_COMMAND = "pip install 'cannon-studio[sandbox]'"
"""How to install the extra."""


def missing_extra_sentence(error: ModuleNotFoundError) -> str | None:
    """The sentence for ``error`` when a module of the extra is what is missing, else ``None``.

    Args:
        error: raised while importing the sandbox's modules.

    Returns:
        e.g. ``cannon_studio_sandbox needs the [sandbox] extra, which is not installed
        (starlette is missing): pip install 'cannon-studio[sandbox]'``; ``None`` when the
        missing module is not one of the extra's (a real bug: let it propagate).
    """
    top = (error.name or "").partition(".")[0]
    if top not in EXTRA_MODULES:
        return None
    return (
        f"cannon_studio_sandbox needs the [sandbox] extra, which is not installed "
        f"({top} is missing): {INSTALL_COMMAND}"
    )
