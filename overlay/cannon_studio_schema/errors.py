"""The one error the schema module raises."""

from __future__ import annotations


class SchemaError(Exception):
    """The document cannot be read, parsed, upgraded or understood.

    ``str(error)`` is one sentence meant for the user (``make regenerate`` and ``make
    check-drift`` print it as is).
    """
