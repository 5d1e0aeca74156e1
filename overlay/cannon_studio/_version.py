"""The distribution's version: the one place it is written.

``pyproject.toml`` reads it from here (``[tool.hatch.version]``); ``cannon_studio.__version__``
and the ``User-Agent`` header (``_constants.USER_AGENT``) import it.
"""

from __future__ import annotations

__version__ = "0.1.0"
