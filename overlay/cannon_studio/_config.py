"""The configuration of ``Cannon`` / ``AsyncCannon``: arguments first, then the environment.

``ClientConfig`` holds what the constructors and ``with_options`` resolve (API key, base URL,
HTTP timeout, retries, webhook secret, default headers); every value is checked here, once, so a
bad one is a ``ConfigurationError`` when the client is built, not an error later. No I/O.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import httpx2

from ._asset_policy import DownloadPolicy
from ._backoff import check_seconds
from ._constants import (
    API_KEY_HEADER,
    DEFAULT_BASE_URL,
    DEFAULT_CONNECT_TIMEOUT_S,
    ENV_API_KEY,
    ENV_BASE_URL,
    ENV_WEBHOOK_SECRET,
    USER_AGENT,
)
from ._errors import ConfigurationError
from ._logging import register_secret, safe_url
from ._types import NOT_GIVEN, NotGiven, TimeoutTypes

__all__ = ["ClientConfig", "api_headers", "call_headers", "check_key", "resolve_timeout"]


def resolve_timeout(timeout: TimeoutTypes) -> httpx2.Timeout:
    """An ``httpx2.Timeout`` from SECONDS / a Timeout / ``None`` (no timeout)."""
    if isinstance(timeout, httpx2.Timeout):
        return timeout
    if timeout is None:
        return httpx2.Timeout(None)
    seconds = check_seconds(timeout, "timeout", allow_zero=False)
    assert seconds is not None
    return httpx2.Timeout(seconds, connect=min(seconds, DEFAULT_CONNECT_TIMEOUT_S))


def check_key(key: str) -> None:
    """Refuse an API key that cannot be sent in an HTTP header.

    Raises:
        ConfigurationError: whitespace, control or non-ASCII characters in ``key``.
    """
    if key != key.strip() or any(ch in key for ch in "\r\n\t ") or not key.isprintable():
        raise ConfigurationError("the API key contains whitespace or control characters")
    if not key.isascii():
        raise ConfigurationError(
            "the API key contains non-ASCII characters, which cannot be sent in an HTTP header "
            "(keys start with cs_live_ or cs_test_; check for a pasted typographic character)"
        )


class ClientConfig:
    """Resolved configuration (arguments first, then the environment)."""

    __slots__ = (
        "_policy_given",
        "api_key",
        "auth",
        "base_url",
        "download_policy",
        "headers",
        "max_retries",
        "timeout",
        "trust_env",
        "webhook_secret",
    )

    def __init__(
        self,
        api_key: str | None,
        base_url: str | None,
        timeout: TimeoutTypes,
        max_retries: int,
        webhook_secret: str | None,
        *,
        trust_env: bool = True,
        headers: Mapping[str, str] | None = None,
        download_policy: DownloadPolicy | None = None,
    ) -> None:
        key = api_key if api_key is not None else os.environ.get(ENV_API_KEY)
        if not key:
            raise ConfigurationError(
                f"no API key: pass api_key= or set {ENV_API_KEY} (keys start with cs_live_ or cs_test_)"
            )
        if not isinstance(key, str):
            raise ConfigurationError("the API key must be a string")
        check_key(key)
        raw_url = base_url or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL
        if not isinstance(raw_url, str):
            raise ConfigurationError(f"base_url must be a str, got {type(raw_url).__name__}")
        url = raw_url.strip().rstrip("/")
        shown = safe_url(url)
        if not url.startswith(("http://", "https://")) or len(url.split("://", 1)[1]) == 0:
            raise ConfigurationError(f"base_url must be an absolute http(s) URL, got {shown!r}")
        try:
            parsed = httpx2.URL(url)
        except (httpx2.InvalidURL, ValueError, TypeError):
            raise ConfigurationError(f"base_url is not a valid URL: {shown!r}") from None
        # Credentials in the URL are sent as Basic auth (as httpx2 would) but taken out of the
        # URL, so no request, log, error or repr shows them.
        self.auth: httpx2.BasicAuth | None = None
        if parsed.userinfo:
            register_secret(parsed.password or None)
            register_secret(parsed.userinfo.decode("ascii", "replace"))
            self.auth = httpx2.BasicAuth(parsed.username, parsed.password)
            url = str(parsed.copy_with(username=None, password=None)).rstrip("/")
        if not isinstance(max_retries, int) or isinstance(max_retries, bool) or max_retries < 0:
            raise ConfigurationError(f"max_retries must be an integer >= 0, got {max_retries!r}")
        secret = (
            webhook_secret if webhook_secret is not None else os.environ.get(ENV_WEBHOOK_SECRET)
        )
        extra = dict(headers or {})
        for name, value in extra.items():
            if not (isinstance(name, str) and isinstance(value, str)):
                raise ConfigurationError("default_headers must map header names to strings")
            if not (name.isascii() and value.isascii()):
                raise ConfigurationError(f"header {name!r} must be ASCII")
        register_secret(key)
        register_secret(secret)
        self.api_key = key
        self.base_url = url
        """The base URL without userinfo (credentials are in ``auth``)."""
        self.max_retries = max_retries
        self.webhook_secret = secret or None
        self.trust_env = bool(trust_env)
        self.headers = extra
        self.timeout = resolve_timeout(timeout)
        if download_policy is not None and not isinstance(download_policy, DownloadPolicy):
            raise ConfigurationError(
                f"download_policy must be a DownloadPolicy, got {type(download_policy).__name__}"
            )
        self._policy_given = download_policy
        self.download_policy = download_policy or DownloadPolicy.for_base_url(url)
        """Where asset downloads may go: as given, or local addresses allowed only when the
        API itself is on one (the sandbox)."""

    def replace(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        webhook_secret: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> ClientConfig:
        """A copy with the given fields changed (``headers`` are merged over the current ones)."""
        copy = ClientConfig(
            self.api_key if api_key is None else api_key,
            self.base_url if base_url is None else base_url,
            self.timeout if isinstance(timeout, NotGiven) else timeout,
            self.max_retries if max_retries is None else max_retries,
            self.webhook_secret if webhook_secret is None else webhook_secret,
            trust_env=self.trust_env,
            headers={**self.headers, **(headers or {})},
            download_policy=self._policy_given,
        )
        if base_url is None:
            copy.auth = self.auth  # the same host: keep the credentials its URL carried
        return copy


def api_headers(config: ClientConfig) -> dict[str, str]:
    """The headers of every API call: the defaults, the key and the user agent."""
    return {**config.headers, API_KEY_HEADER: config.api_key, "user-agent": USER_AGENT}


def call_headers(extra_headers: Mapping[str, str] | None) -> dict[str, str]:
    """One call's ``extra_headers`` as a dict (an API key header -> ``ConfigurationError``)."""
    headers = dict(extra_headers or {})
    for name in headers:
        if name.lower() == API_KEY_HEADER:
            raise ConfigurationError(f"extra_headers cannot set {API_KEY_HEADER}; use api_key=")
    return headers
