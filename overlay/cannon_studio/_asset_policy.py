"""Where asset downloads may go: the download policy, and the transports that enforce it.

Asset URLs come from API outputs and from the redirects of asset hosts, so they are untrusted:
a hostile output (or a redirect) pointing at ``http://169.254.169.254/...`` must not turn the
client into a way to read the cloud metadata service or a service on the user's network. The
policy, on by default:

- ``http`` and ``https`` only; a URL with a user name or password is refused (never sent);
- no loopback, private (RFC 1918, ``100.64.0.0/10``, ``fc00::/7`` with the ``fd00::/8`` cloud
  metadata addresses), link-local (``169.254.0.0/16`` with the metadata address,
  ``fe80::/10``), multicast, reserved or unspecified address, unless ``allow_local`` (the
  clients set it when their own base URL is local, as the sandbox's is);
- checked on EVERY request of a download (each redirect hop is a request of its own): a literal
  address or a local name (``localhost``) before anything is sent, and the address the
  connection actually reached (the peer of the socket, as httpx2's transports report it) before
  a byte of the body is read, whatever the name resolved to and however often it changes (DNS
  rebinding). No lookup of our own is made: it would cost every download a DNS round trip that
  no deadline can interrupt, and a second answer could differ anyway.

Requests sent through a proxy from the environment are checked by their URL only (the proxy
resolves the name and is the peer). Refusals are ``DownloadRefusedError``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar
from urllib.parse import urlsplit

import httpx2

from ._errors import DownloadRefusedError
from ._logging import redact, safe_url
from ._proxies import environment_proxies, proxy_for

__all__ = ["AsyncGuardedTransport", "DownloadPolicy", "GuardedTransport"]

_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: not global, not "private"
_LOCAL_NAMES = ("localhost", "localhost.localdomain")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _address(text: str) -> IPAddress | None:
    """The IP address ``text`` spells (brackets and an IPv6 zone allowed), else ``None``."""
    try:
        found = ipaddress.ip_address(text.strip("[]").split("%", 1)[0])
    except ValueError:
        return None
    mapped = getattr(found, "ipv4_mapped", None)
    return mapped if mapped is not None else found


def is_local_address(address: IPAddress) -> bool:
    """True for loopback, private, shared (CGNAT), link-local, multicast, reserved and
    unspecified addresses: everything that is not a public unicast address (pure)."""
    return (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or (isinstance(address, ipaddress.IPv4Address) and address in _SHARED)
        or not address.is_global
    )


def is_local_host(host: str) -> bool:
    """True when ``host`` is a local name (``localhost``) or a local literal address (pure)."""
    name = host.lower().rstrip(".")
    if name in _LOCAL_NAMES or name.endswith(".localhost"):
        return True
    address = _address(name)
    return address is not None and is_local_address(address)


def _shown(url: httpx2.URL | str) -> str:
    """The URL for a message: no userinfo, no query (signatures), redacted."""
    parts = urlsplit(safe_url(str(url)))
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return redact(f"{parts.scheme}://{host}{port}{parts.path}")


@dataclass(frozen=True, slots=True)
class DownloadPolicy:
    """Where asset downloads may go (see the module docstring for the rules).

    Attributes:
        allow_local: also allow loopback, private, link-local, multicast and reserved
            addresses. Default ``False``. ``Cannon`` / ``AsyncCannon`` use
            ``DownloadPolicy.for_base_url(base_url)``: allowed when the API itself is on such an
            address (the sandbox), unless ``download_policy=`` says otherwise.
    """

    allow_local: bool = False

    @classmethod
    def for_base_url(cls, base_url: str) -> DownloadPolicy:
        """The default policy of a client whose API is at ``base_url``: local addresses are
        allowed only when the API itself is on one (a sandbox on ``127.0.0.1``)."""
        return cls(allow_local=is_local_host(urlsplit(base_url).hostname or ""))

    def check_url(self, url: httpx2.URL) -> None:
        """Refuse a URL that is not http(s), carries userinfo, or names a local host (when
        local hosts are not allowed). No I/O.

        Raises:
            DownloadRefusedError: naming the URL (without userinfo or query) and the rule.
        """
        if url.scheme not in ("http", "https"):
            raise DownloadRefusedError(f"not an http(s) asset URL: {_shown(url)}")
        if url.userinfo:
            raise DownloadRefusedError(
                f"asset URL {_shown(url)} carries a user name or password; refused, not sent"
            )
        if not self.allow_local and is_local_host(url.host):
            raise DownloadRefusedError(
                f"asset URL {_shown(url)} points at a local or private address; "
                "downloads go only to public hosts (DownloadPolicy(allow_local=True) allows it)"
            )

    def check_address(self, url: httpx2.URL, address: str, what: str) -> None:
        """Refuse ``address`` (an IP the connection reached) when it is local.

        Args:
            what: how the address was found, for the message (``"connected to"``).
        """
        found = _address(address)
        if self.allow_local or found is None or not is_local_address(found):
            return
        raise DownloadRefusedError(
            f"asset host of {_shown(url)} {what} {found}, a local or private address; "
            "downloads go only to public hosts (DownloadPolicy(allow_local=True) allows it)"
        )

    def check_peer(self, url: httpx2.URL, response: httpx2.Response) -> None:
        """Refuse a response whose connection reached a local address (when reported)."""
        stream = response.extensions.get("network_stream")
        get = getattr(stream, "get_extra_info", None)
        peer = get("server_addr") if callable(get) else None
        if isinstance(peer, tuple) and peer:
            self.check_address(url, str(peer[0]), "connected to")


_InnerT = TypeVar("_InnerT", httpx2.BaseTransport, httpx2.AsyncBaseTransport)


class _Guard(Generic[_InnerT]):
    """What both guarded transports share: the inner transport, the policy, and the
    environment's proxies (requests a proxy takes are checked by URL only).

    Args:
        inner: the transport that does the I/O (not closed by this one unless ``close_inner``).
        policy: the rules.
        trust_env: read the environment's proxies, as the default transports do.
        close_inner: close ``inner`` with this transport.
    """

    def __init__(
        self,
        inner: _InnerT,
        policy: DownloadPolicy,
        *,
        trust_env: bool = True,
        close_inner: bool = False,
    ) -> None:
        self._inner: _InnerT = inner
        self.policy = policy
        self._close_inner = close_inner
        found = environment_proxies() if trust_env else {}
        self._proxies: Mapping[str, str] = found if set(found) - {"no"} else {}

    def direct(self, url: httpx2.URL) -> bool:
        """True when the request goes to the host itself, not through a proxy."""
        return not self._proxies or proxy_for(url, self._proxies) is None


class GuardedTransport(_Guard[httpx2.BaseTransport], httpx2.BaseTransport):
    """A sync transport that applies a ``DownloadPolicy`` to every request it sends (the
    arguments are ``_Guard``'s)."""

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        policy, url = self.policy, request.url
        policy.check_url(url)
        direct = self.direct(url)
        response = self._inner.handle_request(request)
        if direct:
            try:
                policy.check_peer(url, response)
            except DownloadRefusedError:
                response.close()
                raise
        return response

    def close(self) -> None:
        if self._close_inner:
            self._inner.close()


class AsyncGuardedTransport(_Guard[httpx2.AsyncBaseTransport], httpx2.AsyncBaseTransport):
    """The async twin of ``GuardedTransport``."""

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        policy, url = self.policy, request.url
        policy.check_url(url)
        direct = self.direct(url)
        response = await self._inner.handle_async_request(request)
        if direct:
            try:
                policy.check_peer(url, response)
            except DownloadRefusedError:
                await response.aclose()
                raise
        return response

    async def aclose(self) -> None:
        if self._close_inner:
            await self._inner.aclose()
