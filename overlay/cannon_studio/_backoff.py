"""Bounded delay arithmetic and numeric-setting checks (pure, sans-IO, no imports from the
package apart from constants and errors).

Every delay the client sleeps is computed here, so none can overflow however long a wait runs:
``0.5 * 1.5**n`` is never evaluated past the step where it reaches its cap (it overflowed
``float`` after ~1,750 polls), and every number that comes from a caller or a server is checked
for type, finiteness and range first.
"""

from __future__ import annotations

import math

from ._errors import ConfigurationError


def capped_exponential(initial: float, multiplier: float, step: int, cap: float) -> float:
    """``min(initial * multiplier**step, cap)`` without ever overflowing (pure).

    Args:
        initial: value at step 0 (seconds), > 0.
        multiplier: growth per step, > 1.
        step: 0-based step; negative counts as 0; any size (10**9 is fine).
        cap: the largest value returned (seconds).
    """
    if step <= 0:
        return min(initial, cap)
    if initial >= cap:
        return cap
    # Steps after which the cap is reached: initial * multiplier**k >= cap.
    limit = math.ceil(math.log(cap / initial) / math.log(multiplier))
    if step >= limit:
        return cap
    return min(initial * multiplier**step, cap)


def is_real(value: object) -> bool:
    """True for an ``int`` or ``float`` that is not a ``bool`` (pure)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def server_ms(value: object, *, default_ms: int, max_ms: int) -> float:
    """A server-provided delay hint in MILLISECONDS made safe (pure).

    Anything that is not a finite real number (``"2000"``, ``null``, ``NaN``, ``true``) gives
    ``default_ms``; the result is clamped to ``[0, max_ms]`` (``1e11`` becomes ``max_ms``).
    """
    if not is_real(value):
        return float(default_ms)
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        return float(max_ms) if number > 0 else float(default_ms)
    return min(max(0.0, number), float(max_ms))


def check_seconds(
    value: object, name: str, *, allow_zero: bool = True, allow_none: bool = False
) -> float | None:
    """Validate a caller's duration in SECONDS: a finite real number, ``>= 0`` (``> 0`` when
    ``allow_zero`` is false); ``None`` only when ``allow_none``.

    Returns:
        The value as a ``float`` (or ``None``).

    Raises:
        ConfigurationError: naming ``name`` and what is allowed.
    """
    if value is None and allow_none:
        return None
    bound = ">= 0" if allow_zero else "> 0"
    if not is_real(value):
        raise ConfigurationError(
            f"{name} must be a finite number of seconds {bound}, got {type(value).__name__}"
        )
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number) or number < 0 or (number == 0 and not allow_zero):
        raise ConfigurationError(
            f"{name} must be a finite number of seconds {bound}, got {value!r}"
        )
    return number


def check_tolerance(tolerance: object) -> float:
    """``tolerance`` in SECONDS if it is a finite number > 0, else ``ConfigurationError``."""
    if not is_real(tolerance) or not math.isfinite(float(tolerance)) or float(tolerance) <= 0:  # type: ignore[arg-type]
        raise ConfigurationError(
            f"webhook tolerance must be a finite number of seconds > 0, got {tolerance!r}"
        )
    return float(tolerance)  # type: ignore[arg-type]
