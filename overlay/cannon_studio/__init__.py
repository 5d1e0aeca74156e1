"""Cannon Studio Python client (overlay)."""
