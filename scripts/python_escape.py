"""Values from an untrusted schema, rendered into generated Python: names validated, text quoted.

Every value of the OpenAPI document that lands in the generated wrappers (operation ids, display
names such as ``x-cannon-display-name``, descriptions, credits, enum values, field and component
names) passes through here, so a document can change what the generated code *says*, never what
it *does*:

- :func:`identifier`: a name used as Python syntax (a class, method, field or module name) must
  be an ASCII identifier that is not a keyword; anything else raises :class:`UnsafeName`, one
  sentence naming the value and where it came from (``make regenerate`` prints it and exits 2).
  :func:`is_identifier` lets a caller choose a form that needs no name instead (a functional
  ``TypedDict`` keeps any JSON key as a string).
- :func:`string` and :func:`literal`: a value used as data in code is a ``repr()`` literal.
- :func:`docstring` / :func:`docstring_lines`: text inside a triple-quoted docstring has its
  backslashes and double quotes escaped and every non-printable character (NUL, CR, line and
  paragraph separators) written as an escape sequence, so nothing can close the string early;
  text is wrapped first and escaped per line, so a wrap never splits an escape.
- :func:`visible_surrogates`: a lone surrogate (``"\\ud800"``, which JSON can carry but UTF-8
  cannot) becomes the six characters of its escape. A docstring holds it so (Python 3.13 encodes
  every docstring as UTF-8 when it compiles, and refuses one holding a surrogate), and so does
  Markdown generated from the document.
"""

from __future__ import annotations

import keyword
import re
import textwrap
from typing import Any

__all__ = [
    "UnsafeName",
    "docstring",
    "docstring_lines",
    "identifier",
    "is_identifier",
    "literal",
    "string",
    "visible_surrogates",
]


_SURROGATE = re.compile("[\ud800-\udfff]")


class UnsafeName(ValueError):
    """A value of the schema cannot be a name in generated Python (``str()`` is one sentence)."""


def is_identifier(name: str) -> bool:
    """Whether ``name`` can be written as a Python name: ASCII, an identifier, not a keyword.

    Non-ASCII identifiers are refused too: Python folds them with NFKC (fullwidth ``foo`` is ``foo``), so
    two different JSON names could become one Python name.
    """
    return (
        isinstance(name, str)
        and name.isascii()
        and name.isidentifier()
        and not keyword.iskeyword(name)
        and not name.startswith("__")
    )


def identifier(name: str, what: str) -> str:
    """``name``, checked to be safe as Python syntax.

    Args:
        name: the value from the document (a component name, a derived method name...).
        what: what it is, for the message (``"component name"``).

    Raises:
        UnsafeName: ``name`` is not an ASCII Python identifier, is a keyword or a dunder.
    """
    if not is_identifier(name):
        shown = repr(name) if len(name) <= 80 else repr(name[:77]) + "..."
        raise UnsafeName(
            f"The schema's {what} {shown} cannot be used as a Python name in the generated "
            "client (it must be an ASCII identifier, not a keyword); rename it in the schema."
        )
    return name


def string(value: Any) -> str:
    """A Python string literal holding ``str(value)``: its ``repr``, in double quotes when the
    text has no quote of either kind (the house style, and what ruff would write)."""
    text = str(value)
    quoted = repr(text)
    if quoted.startswith("'") and "'" not in text and '"' not in text:
        quoted = '"' + quoted[1:-1] + '"'
    return quoted


def literal(value: Any) -> str | None:
    """A Python literal for a JSON scalar usable in ``Literal[...]``, else ``None``.

    Strings (:func:`string`), integers, booleans and ``null`` (``repr``) have one; floats,
    objects and arrays do not (``typing.Literal`` cannot hold them), so the caller falls back
    to a wider type.
    """
    if isinstance(value, str):
        return string(value)
    if value is None or isinstance(value, bool | int):
        return repr(value)
    return None


def visible_surrogates(text: str) -> str:
    """``text`` with each lone surrogate (U+D800 to U+DFFF) written as the six characters of its
    escape (``\\ud800``), so the text can be encoded as UTF-8; everything else is kept."""
    return _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def docstring(text: Any) -> str:
    """``str(text)`` made safe inside a triple-quoted (non-raw) docstring, newlines kept.

    Backslashes and double quotes are escaped; every other character that is not printable
    (except the newline) is written as ``\\xNN`` / ``\\uNNNN`` / ``\\UNNNNNNNN``. A lone
    surrogate is the exception: the docstring holds the text of its escape
    (:func:`visible_surrogates`), since Python 3.13 refuses to compile a docstring whose value
    is not valid UTF-8.
    """
    out = []
    for char in str(text):
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char == "\n" or char.isprintable():
            out.append(char)
        elif _SURROGATE.match(char):
            out.append(f"\\\\u{ord(char):04x}")
        else:
            code = ord(char)
            out.append(
                f"\\x{code:02x}"
                if code < 0x100
                else f"\\u{code:04x}"
                if code < 0x10000
                else f"\\U{code:08x}"
            )
    return "".join(out)


def docstring_lines(text: Any, width: int, *, subsequent_indent: str = "") -> list[str]:
    """``text`` wrapped to ``width`` columns (whitespace collapsed), each line then escaped with
    :func:`docstring` (so a wrap never splits an escape sequence)."""
    wrapped = textwrap.wrap(str(text), width, subsequent_indent=subsequent_indent) or [""]
    return [docstring(line) for line in wrapped]
