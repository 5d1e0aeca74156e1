"""Signed asset URLs, and answers shaped like the cloud storage that hosts the real assets.

The docs' asset URLs are ``https://storage.googleapis.com/...``; how long they stay valid is not
documented. Assumed: they are signed URLs that expire, answering as Google Cloud Storage does:

- expired: ``400`` with ``<Error><Code>ExpiredToken</Code><Message>Invalid argument.</Message>
  <Details>The provided token has expired. Request signature expired at: ...</Details></Error>``;
- bad or missing signature: ``403`` ``SignatureDoesNotMatch`` (missing parameters:
  ``MissingSecurityHeader``);
- no such object: ``404`` ``NoSuchKey``;

all ``application/xml; charset=UTF-8``, never the API's JSON error envelope (the asset host is
not the API). The sandbox's URLs look like ``{base}/assets/{request_id}/{name}?expires=<epoch
s>&signature=<hex>``; they need no API key. Default lifetime: 7 days from completion
(``SandboxConfig.asset_url_ttl_s``; 7 days is also the longest a GCS V4 signed URL can live).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, unquote, urlsplit
from xml.sax.saxutils import escape

XML_CONTENT_TYPE = "application/xml; charset=UTF-8"


@dataclass(frozen=True)
class StorageError:
    """A cloud-storage style rejection: HTTP ``status``, XML ``code``, ``message``, ``details``."""

    status: int
    code: str
    message: str
    details: str | None = None

    def xml(self) -> bytes:
        """The XML body, as GCS writes it."""
        details = f"<Details>{escape(self.details)}</Details>" if self.details else ""
        return (
            "<?xml version='1.0' encoding='UTF-8'?>"
            f"<Error><Code>{escape(self.code)}</Code><Message>{escape(self.message)}</Message>"
            f"{details}</Error>"
        ).encode()


NO_SUCH_KEY = StorageError(404, "NoSuchKey", "The specified key does not exist.")


class AssetSigner:
    """Signs asset URLs like cloud-storage signed URLs: ``?expires=<epoch s>&signature=<hex>``.

    Args:
        key: HMAC key (default: 32 random bytes per sandbox, so URLs of one sandbox never
            verify on another).
    """

    def __init__(self, key: bytes | None = None) -> None:
        self._key = key or secrets.token_bytes(32)

    def signature(self, request_id: str, name: str, expires_s: int) -> str:
        """HMAC-SHA256 (hex, 32 chars) over ``request_id/name:expires``."""
        msg = f"{request_id}/{name}:{expires_s}".encode()
        return hmac.new(self._key, msg, hashlib.sha256).hexdigest()[:32]

    def url(self, base_url: str, request_id: str, name: str, expires_s: int) -> str:
        """Absolute signed URL of an asset; ``expires_s`` in epoch SECONDS."""
        sig = self.signature(request_id, name, expires_s)
        return f"{base_url}/assets/{quote(request_id)}/{quote(name)}?expires={expires_s}&signature={sig}"

    def check(
        self, request_id: str, name: str, expires: str, signature: str, at_s: float
    ) -> StorageError | None:
        """``None`` when the URL is valid at ``at_s`` (epoch SECONDS), else the storage error."""
        if not expires or not signature:
            return StorageError(
                403,
                "MissingSecurityHeader",
                "Your request was missing a required header.",
                "Signed URL parameters expires and signature are required.",
            )
        try:
            expires_s = int(expires)
        except ValueError:
            return StorageError(400, "InvalidArgument", "Invalid argument.", "malformed expires")
        expected = self.signature(request_id, name, expires_s).encode()
        # bytes, so a non-ASCII signature is a mismatch, not compare_digest's TypeError (a 500)
        if not hmac.compare_digest(expected, signature.encode("utf-8", "replace")):
            return StorageError(
                403,
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided.",
            )
        if at_s > expires_s:
            when = datetime.fromtimestamp(expires_s, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            return StorageError(
                400,
                "ExpiredToken",
                "Invalid argument.",
                f"The provided token has expired. Request signature expired at: {when}",
            )
        return None


def asset_ref(url: object) -> tuple[str, str] | None:
    """``(request_id, name)`` when ``url`` looks like a sandbox asset URL, else ``None``.

    Used to find the facts (size, duration, audio) of a source that an earlier request of the
    same sandbox produced; any host is accepted, only the path shape matters.
    """
    if not isinstance(url, str):
        return None
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    parts = path.split("/")
    if len(parts) != 4 or parts[0] or parts[1] != "assets" or not parts[2] or not parts[3]:
        return None
    return unquote(parts[2]), unquote(parts[3])
