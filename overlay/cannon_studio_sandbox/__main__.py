"""``python -m cannon_studio.sandbox``: run the sandbox server (see :func:`cannon_studio.sandbox.main`)."""

from __future__ import annotations

import sys

from .server import main

if __name__ == "__main__":
    sys.exit(main())
