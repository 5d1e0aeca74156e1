"""The check catalogue: every change the drift engine can report, with its stable id and level.

Ids follow oasdiff's catalogue (``checker/rules.go``) wherever the meaning is the same, so a
team moving between the two tools reads the same names; the few ids of our own say so in their
summary. Levels: :data:`BREAKING` (a client built from the old document can fail),
:data:`WARNING` (it may fail, depending on what it sends or how strictly it parses) and
:data:`INFO` (nothing an old client does stops working).

Schema checks are written once per *suffix* with a level for each side: narrowing what a client
sends (request side) or widening what it parses (response side) is breaking, the mirror image
is info. :data:`CHECKS` expands them for every place a schema sits (request body, request
property, parameter, response body, response property, response header).
"""

from __future__ import annotations

from dataclasses import dataclass

BREAKING = "breaking"
WARNING = "warning"
INFO = "info"
LEVELS = (INFO, WARNING, BREAKING)
"""The levels, lowest first (``LEVELS.index`` orders them)."""

E, W, I = BREAKING, WARNING, INFO  # noqa: E741 - short names for the tables below


@dataclass(frozen=True)
class Check:
    """One kind of change: ``id`` (stable, oasdiff-style), its ``level`` and a one-line summary."""

    id: str
    level: str
    summary: str


REQUEST_PLACES = ("request-body", "request-property", "request-parameter")
"""Where a schema sits that the client sends; a nested field of a parameter counts as a property."""

RESPONSE_PLACES = ("response-body", "response-property", "response-header")
"""Where a schema sits that the client parses."""

# suffix: (level on the request side, level on the response side, summary)
SCHEMA_SUFFIXES: dict[str, tuple[str, str, str]] = {
    "type-changed": (E, E, "type or format changed to an incompatible one"),
    "type-generalized": (I, E, "type widened (e.g. integer to number, a format dropped)"),
    "type-specialized": (E, I, "type narrowed (e.g. number to integer)"),
    "list-of-types-widened": (I, E, "a type added to the list of types"),
    "list-of-types-narrowed": (E, I, "a type removed from the list of types"),
    "became-nullable": (I, E, "null became allowed"),
    "became-not-nullable": (E, I, "null is no longer allowed"),
    "became-enum": (E, I, "an enum now restricts the values"),
    "enum-removed": (I, E, "the enum restricting the values was dropped (ours)"),
    "enum-value-added": (I, W, "an enum value added"),
    "enum-value-removed": (E, I, "an enum value removed"),
    "x-extensible-enum-value-removed": (E, I, "an x-extensible-enum value removed"),
    "const-added": (E, I, "a const now fixes the value"),
    "const-changed": (E, E, "the const value changed"),
    "const-removed": (I, E, "the const fixing the value was dropped"),
    "default-value-added": (I, I, "a default value added"),
    "default-value-changed": (I, I, "the default value changed"),
    "default-value-removed": (I, I, "the default value removed"),
    "pattern-added": (E, I, "a pattern added"),
    "pattern-changed": (W, I, "the pattern changed"),
    "pattern-generalized": (I, I, "the pattern changed to a more general one (.*)"),
    "pattern-removed": (I, I, "the pattern removed"),
    "multiple-of-set": (W, I, "multipleOf set (ours)"),
    "multiple-of-unset": (I, E, "multipleOf removed (ours)"),
    "multiple-of-generalized": (I, E, "multipleOf divides the old one (ours)"),
    "multiple-of-specialized": (E, I, "multipleOf is a multiple of the old one (ours)"),
    "multiple-of-changed": (E, E, "multipleOf changed to an unrelated value (ours)"),
    "unique-items-set": (W, I, "uniqueItems set (ours)"),
    "unique-items-unset": (I, W, "uniqueItems removed (ours)"),
    "additional-properties-narrowed": (E, I, "additional properties no longer allowed (ours)"),
    "additional-properties-widened": (I, W, "additional properties now allowed (ours)"),
    "became-read-only": (I, I, "became readOnly"),
    "became-not-read-only": (I, I, "no longer readOnly"),
    "became-write-only": (I, W, "became writeOnly: no longer in responses"),
    "became-not-write-only": (I, W, "no longer writeOnly: now in responses"),
    "became-required": (E, I, "became required"),
    "became-required-with-default": (E, I, "became required although it has a default"),
    "became-optional": (I, E, "became optional"),
    "one-of-added": (I, E, "a oneOf variant added"),
    "one-of-removed": (E, I, "a oneOf variant removed"),
    "any-of-added": (I, W, "an anyOf variant added"),
    "any-of-removed": (E, I, "an anyOf variant removed"),
    "all-of-added": (E, I, "an allOf part added that cannot be flattened"),
    "all-of-removed": (W, I, "an allOf part removed that could not be flattened"),
    "discriminator-added": (I, I, "a discriminator added"),
    "discriminator-removed": (I, I, "the discriminator removed"),
    "discriminator-property-name-changed": (I, I, "the discriminator property changed"),
    "discriminator-mapping-added": (I, I, "a discriminator mapping added"),
    "discriminator-mapping-changed": (I, I, "a discriminator mapping changed"),
    "discriminator-mapping-deleted": (I, I, "a discriminator mapping deleted"),
    "content-encoding-changed": (E, E, "contentEncoding changed"),
    "content-media-type-changed": (E, E, "contentMediaType changed"),
    "dependent-required-changed": (E, E, "dependentRequired changed"),
    "deprecated": (I, I, "deprecated"),
    "reactivated": (I, I, "no longer deprecated"),
    "stability-decreased": (E, E, "x-stability-level decreased"),
    "deprecated-sunset-invalid": (E, E, "deprecated with an x-sunset that is not a date"),
    "wrapped-in-one-of": (E, E, "restructured into a oneOf (one variant is the old schema)"),
    "stability-increased": (I, I, "x-stability-level increased"),
}

# Constraint keywords: (suffix stem, True when a larger value is looser).
BOUNDS: dict[str, tuple[str, bool]] = {
    "maximum": ("max", True),
    "exclusiveMaximum": ("exclusive-max", True),
    "maxLength": ("max-length", True),
    "maxItems": ("max-items", True),
    "maxProperties": ("max-properties", True),
    "maxContains": ("max-contains", True),
    "minimum": ("min", False),
    "exclusiveMinimum": ("exclusive-min", False),
    "minLength": ("min-length", False),
    "minItems": ("min-items", False),
    "minProperties": ("min-properties", False),
    "minContains": ("min-contains", False),
}

for _stem, _larger_looser in BOUNDS.values():
    _looser, _tighter = ("increased", "decreased") if _larger_looser else ("decreased", "increased")
    SCHEMA_SUFFIXES[f"{_stem}-{_tighter}"] = (E, I, f"{_stem} {_tighter}: narrower")
    SCHEMA_SUFFIXES[f"{_stem}-{_looser}"] = (I, E, f"{_stem} {_looser}: wider")
    SCHEMA_SUFFIXES[f"{_stem}-set"] = (W, I, f"{_stem} set where there was none")
    SCHEMA_SUFFIXES[f"{_stem}-unset"] = (I, E, f"{_stem} removed")

# Applicator keywords compared by presence: adding one narrows, removing one widens.
KEYWORDS: dict[str, str] = {
    "contains": "contains",
    "if": "if",
    "then": "then",
    "else": "else",
    "dependentRequired": "dependent-required",
    "dependentSchemas": "dependent-schema",
    "prefixItems": "prefix-items",
    "propertyNames": "property-names",
    "patternProperties": "pattern-property",
    "unevaluatedItems": "unevaluated-items",
    "unevaluatedProperties": "unevaluated-properties",
    "contentSchema": "content-schema",
    "not": "not",
}
SCHEMA_SUFFIXES["prefix-items-added"] = (I, E, "prefixItems added")
SCHEMA_SUFFIXES["prefix-items-removed"] = (E, I, "prefixItems removed")
for _stem in KEYWORDS.values():
    SCHEMA_SUFFIXES.setdefault(f"{_stem}-added", (E, I, f"{_stem} added"))
    SCHEMA_SUFFIXES.setdefault(f"{_stem}-removed", (I, E, f"{_stem} removed"))
    SCHEMA_SUFFIXES.setdefault(f"{_stem}-changed", (W, W, f"{_stem} changed"))

PARAMETER_LEVELS = {
    "default-value-added": E,
    "default-value-changed": E,
    "default-value-removed": E,
}
"""Where parameters differ from bodies: a changed default changes what the server assumes
for every old client that omits the parameter (oasdiff's levels)."""

_OTHER: list[tuple[str, str, str]] = [
    # endpoints
    ("endpoint-added", I, "an endpoint (path and method) added"),
    ("api-path-removed-without-deprecation", E, "a path removed without being deprecated first"),
    ("api-path-removed-with-deprecation", I, "a deprecated path removed"),
    ("api-path-removed-before-sunset", E, "a deprecated path removed before its x-sunset date"),
    ("api-removed-without-deprecation", E, "an operation removed without being deprecated first"),
    ("api-removed-with-deprecation", I, "a deprecated operation removed"),
    ("api-removed-before-sunset", E, "a deprecated operation removed before its x-sunset date"),
    ("endpoint-deprecated", I, "an endpoint deprecated"),
    ("endpoint-deprecated-with-sunset", I, "an endpoint deprecated with an x-sunset date"),
    ("endpoint-reactivated", I, "an endpoint no longer deprecated"),
    ("api-deprecated-sunset-parse", E, "x-sunset is not an RFC 3339 date"),
    ("api-path-sunset-parse", E, "a deprecated endpoint removed whose x-sunset is not a date"),
    ("api-sunset-date-changed-too-small", E, "x-sunset moved earlier"),
    ("sunset-deleted", E, "x-sunset removed from a still deprecated endpoint"),
    ("api-invalid-stability-level", E, "x-stability-level is not draft, alpha, beta or stable"),
    ("api-stability-decreased", E, "x-stability-level decreased"),
    ("api-stability-increased", I, "x-stability-level increased"),
    ("api-operation-id-added", I, "an operationId added"),
    ("api-operation-id-removed", I, "an operationId removed or changed"),
    ("api-tag-added", I, "a tag added to an operation"),
    ("api-tag-removed", I, "a tag removed from an operation"),
    ("webhook-added", I, "a webhook added"),
    ("webhook-removed", E, "a webhook removed"),
    ("api-schema-removed", I, "a component schema removed"),
    ("api-server-added", I, "a server URL added (ours; the SDK keeps its own base URL)"),
    ("api-server-removed", I, "a server URL removed (ours; the SDK keeps its own base URL)"),
    # parameters
    ("new-required-request-parameter", E, "a required parameter added"),
    ("new-optional-request-parameter", I, "an optional parameter added"),
    ("new-request-path-parameter", E, "a path parameter added"),
    ("request-parameter-removed", W, "a parameter removed (old clients still send it)"),
    ("request-parameter-removed-with-deprecation", I, "a deprecated parameter removed"),
    ("request-parameter-became-required", E, "a parameter became required"),
    ("request-parameter-became-optional", I, "a parameter became optional"),
    ("request-parameter-deprecated", I, "a parameter deprecated"),
    ("request-parameter-reactivated", I, "a parameter no longer deprecated"),
    (
        "request-parameter-removed-before-sunset",
        E,
        "a deprecated parameter removed before its x-sunset date",
    ),
    ("request-parameter-sunset-parse", E, "a parameter's x-sunset is not an RFC 3339 date"),
    ("request-parameter-sunset-deleted", E, "x-sunset removed from a still deprecated parameter"),
    ("request-parameter-sunset-date-changed-too-small", E, "a parameter's x-sunset moved earlier"),
    (
        "request-parameter-style-changed",
        E,
        "a parameter's serialisation (style/explode) changed (ours)",
    ),
    # request bodies
    ("request-body-added-required", E, "a required request body added"),
    ("request-body-added-optional", I, "an optional request body added"),
    ("request-body-removed", E, "the request body removed"),
    ("request-body-became-required", E, "the request body became required"),
    ("request-body-became-optional", I, "the request body became optional"),
    ("request-body-media-type-added", I, "a request media type added"),
    ("request-body-media-type-removed", E, "a request media type removed"),
    ("request-body-media-type-schema-added", E, "a schema added to a request media type"),
    ("request-body-media-type-schema-removed", I, "a request media type's schema removed"),
    # request properties
    ("new-required-request-property", E, "a required request property added"),
    (
        "new-required-request-property-with-default",
        E,
        "a required request property with a default added",
    ),
    ("new-optional-request-property", I, "an optional request property added"),
    ("request-property-removed", W, "a request property removed (old clients still send it)"),
    # responses
    (
        "response-success-status-added",
        W,
        "a 2xx status added (differs: a generated client may not parse it)",
    ),
    ("response-success-status-removed", E, "a 2xx status removed"),
    ("response-non-success-status-added", I, "a non-2xx status added"),
    ("response-non-success-status-removed", I, "a non-2xx status removed"),
    ("response-media-type-added", I, "a response media type added"),
    ("response-media-type-removed", E, "a response media type removed"),
    ("response-body-media-type-schema-added", I, "a schema added to a response media type"),
    ("response-body-media-type-schema-removed", W, "a response media type's schema removed"),
    ("response-required-property-added", I, "a required response property added"),
    ("response-optional-property-added", I, "an optional response property added"),
    ("response-required-property-removed", E, "a required response property removed"),
    ("response-optional-property-removed", W, "an optional response property removed"),
    ("response-header-added", I, "a response header added"),
    ("required-response-header-removed", E, "a required response header removed"),
    ("optional-response-header-removed", W, "an optional response header removed"),
    ("response-header-became-optional", E, "a response header became optional"),
    ("response-header-became-required", I, "a response header became required (ours)"),
    # security
    ("api-security-added", I, "a security alternative added"),
    (
        "api-security-removed",
        I,
        "a security alternative removed (another remains, or none is needed)",
    ),
    ("api-security-required", E, "an endpoint that needed no credentials now needs them (ours)"),
    ("api-security-scope-added", W, "a scope added to a security requirement (ours: warning)"),
    ("api-security-scope-removed", I, "a scope removed from a security requirement"),
    ("api-security-component-added", I, "a security scheme added"),
    ("api-security-component-removed", I, "a security scheme removed"),
    ("api-security-component-type-changed", W, "a security scheme's type changed (ours: warning)"),
    (
        "api-security-component-changed",
        W,
        "an API key's location or name, or a scheme, changed (ours)",
    ),
    ("api-security-component-oauth-url-changed", I, "an OAuth authorization URL changed"),
    ("api-security-component-oauth-token-url-changed", I, "an OAuth token URL changed"),
    ("api-security-component-oauth-scope-added", I, "an OAuth scope added"),
    ("api-security-component-oauth-scope-removed", I, "an OAuth scope removed"),
    ("api-security-component-oauth-scope-changed", I, "an OAuth scope's description changed"),
    # the Cannon layer: operations inside the create body
    ("cannon-operation-added", I, "an operation added to the create endpoint"),
    ("cannon-operation-removed", E, "an operation removed from the create endpoint"),
    ("cannon-operation-deprecated", I, "an operation deprecated"),
    ("cannon-operation-reactivated", I, "an operation no longer deprecated"),
    (
        "cannon-create-body-restructured",
        E,
        "no operations can be read from the create body any more",
    ),
    ("cannon-annotation-changed", I, "an x-cannon-* annotation changed"),
    ("cannon-annotation-removed", I, "an x-cannon-* annotation is gone from every operation"),
]


def _build() -> dict[str, Check]:
    checks: dict[str, Check] = {}
    for suffix, (request_level, response_level, summary) in SCHEMA_SUFFIXES.items():
        for place in (*REQUEST_PLACES, "request-parameter-property"):
            level = request_level
            if place == "request-parameter":
                level = PARAMETER_LEVELS.get(suffix, level)
            checks[f"{place}-{suffix}"] = Check(f"{place}-{suffix}", level, summary)
        for place in RESPONSE_PLACES:
            checks[f"{place}-{suffix}"] = Check(f"{place}-{suffix}", response_level, summary)
    for check_id, level, summary in _OTHER:
        checks[check_id] = Check(check_id, level, summary)
    return checks


CHECKS: dict[str, Check] = _build()
"""Every check the engine can report, by id."""


def check(check_id: str) -> Check:
    """The catalogue entry for ``check_id``.

    Raises:
        KeyError: not a check of the catalogue (a programming error, caught by the tests).
    """
    return CHECKS[check_id]


def at_least(level: str, threshold: str) -> bool:
    """Whether ``level`` is ``threshold`` or above (``breaking`` > ``warning`` > ``info``)."""
    return LEVELS.index(level) >= LEVELS.index(threshold)
