"""Word wrapping shared by the image and subtitle renderers."""

from __future__ import annotations


def wrap(text: str, width: int) -> list[str]:
    """``text`` split into lines of at most ``width`` characters (longer words stay whole)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines
