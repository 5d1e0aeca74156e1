"""The one error the schema module raises."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

_P = ParamSpec("_P")
_R = TypeVar("_R")

SHAPE_ERRORS = (AttributeError, TypeError, KeyError, ValueError, IndexError, RecursionError)
"""What walking a document of the wrong shape raises (a list where an object belongs...)."""


class SchemaError(Exception):
    """The document cannot be read, parsed, upgraded or understood.

    ``str(error)`` is one sentence meant for the user (``make regenerate`` and ``make
    check-drift`` print it as is).
    """


def guarded(what: str) -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """Turn the errors of walking a badly shaped document into one-sentence ``SchemaError``s.

    Args:
        what: the step, for the message (``"finding the operations"``).
    """

    def decorate(function: Callable[_P, _R]) -> Callable[_P, _R]:
        @functools.wraps(function)
        def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
            try:
                return function(*args, **kwargs)
            except SchemaError:
                raise
            except SHAPE_ERRORS as exc:
                detail = (str(exc).splitlines() or [""])[0][:120]
                raise SchemaError(
                    f"The document is not shaped as OpenAPI expects ({what}: "
                    f"{type(exc).__name__}{': ' + detail if detail else ''})."
                ) from exc

        return wrapper

    return decorate
