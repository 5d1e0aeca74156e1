"""``python -m cannon_studio.cli``: the same as the ``cannon-studio`` command."""

from cannon_studio.cli import main

main()
