"""PNG images (Pillow) that show the request's prompt, at the planned (scaled) size."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from .text import wrap

TITLE = "Cannon Studio sandbox"


def png(width: int, height: int, text: str) -> bytes:
    """A ``width`` x ``height`` PNG with a title bar and as much of ``text`` as fits."""
    image = Image.new("RGB", (width, height), (24, 28, 40))
    draw = ImageDraw.Draw(image)
    size = max(6, min(13, height // 8, width // 12))
    font = ImageFont.load_default(size=size)
    bar = size + 6
    draw.rectangle((0, 0, width - 1, bar), fill=(214, 90, 49))
    draw.text((4, 2), TITLE, fill=(255, 255, 255), font=font)
    line_height = size + 4
    columns = max(8, int(width / (size * 0.6)))
    rows = max(0, (height - bar - 4) // line_height)
    for i, line in enumerate(wrap(text, columns)[:rows]):
        draw.text((4, bar + 4 + i * line_height), line, fill=(235, 235, 235), font=font)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
