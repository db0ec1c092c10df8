"""Outbound webhook requests that cannot be aimed at the server's own network (SSRF).

`check_url` resolves the host once and refuses the URL unless every address it resolves to is a public
unicast address: loopback, private (RFC 1918, ULA), link-local, shared (100.64/10), reserved,
multicast, unspecified and the cloud metadata addresses are refused. https only. Local mode
(`WEBHOOK_ALLOW_LOCAL`, on in the local and test settings, never in production) also allows http and
https to loopback (127.0.0.1, ::1) for development.

`post` connects to the address that was checked (never re-resolving the name, so a DNS answer that
changes between the check and the connection cannot redirect the request), sends the Host header and,
for https, the SNI name and certificate check of the original host. Redirects are not followed.
Each delivery checks again (`check_url` then `post`), so a URL that was public when saved and
resolves inside later is refused then.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import certifi
import urllib3

METADATA = {
    ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack
    ipaddress.ip_address("169.254.170.2"),  # AWS ECS task metadata
    ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
    ipaddress.ip_address("fd00:ec2::254"),  # AWS IPv6
}
MAX_RESPONSE_BYTES = 4096


class UnsafeURL(Exception):
    """The URL may not be called (answered 400 naming `url` when saved; a failed attempt when sending)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    ip: str


@dataclass(frozen=True)
class Answer:
    status: int
    excerpt: str
    duration_ms: int


def _allowed(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, *, allow_local: bool) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip in METADATA:
        return False
    if ip.is_loopback:
        return allow_local
    return ip.is_global and not ip.is_multicast and not ip.is_reserved and not ip.is_unspecified


def check_url(url: str, *, allow_local: bool) -> Target:
    parts = urlsplit(url)
    scheme = (parts.scheme or "").lower()
    if scheme not in ("https", "http"):
        raise UnsafeURL("Only https URLs can receive webhooks.")
    if parts.username or parts.password:
        raise UnsafeURL("The URL must not contain a user name or password.")
    host = parts.hostname or ""
    if not host:
        raise UnsafeURL("The URL has no host.")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as exc:
        raise UnsafeURL("The URL's port is not valid.") from exc
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeURL(f"The host {host} cannot be resolved.") from exc
    addresses = sorted({info[4][0].split("%", 1)[0] for info in infos})
    if not addresses:
        raise UnsafeURL(f"The host {host} cannot be resolved.")
    ips = [ipaddress.ip_address(a) for a in addresses]
    refused = [str(ip) for ip in ips if not _allowed(ip, allow_local=allow_local)]
    if refused:
        raise UnsafeURL(
            f"The host {host} resolves to an address that may not be called ({', '.join(refused)}): "
            "loopback, private, link-local and metadata addresses are refused."
        )
    if scheme == "http" and not (allow_local and all(ip.is_loopback for ip in ips)):
        raise UnsafeURL("Only https URLs can receive webhooks.")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme=scheme, host=host, port=port, path=path, ip=str(ips[0]))


def post(
    target: Target,
    *,
    body: bytes,
    headers: dict[str, str],
    timeout: float = 15.0,
    ca_certs: str | None = None,
) -> Answer:
    """POST to the checked address. Raises urllib3 errors for connection problems and timeouts."""
    default_port = 443 if target.scheme == "https" else 80
    host_header = target.host if target.port == default_port else f"{target.host}:{target.port}"
    if ":" in target.host and not target.host.startswith("["):
        host_header = f"[{target.host}]" if target.port == default_port else f"[{target.host}]:{target.port}"
    common = {
        "host": target.ip,
        "port": target.port,
        "timeout": urllib3.Timeout(connect=min(5.0, timeout), read=timeout),
        "retries": False,
        "maxsize": 1,
    }
    if target.scheme == "https":
        pool: urllib3.HTTPConnectionPool = urllib3.HTTPSConnectionPool(
            **common,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            ca_certs=ca_certs or certifi.where(),
        )
    else:
        pool = urllib3.HTTPConnectionPool(**common)
    started = time.monotonic()
    try:
        response = pool.urlopen(
            "POST",
            target.path,
            body=body,
            headers={**headers, "Host": host_header},
            redirect=False,
            preload_content=False,
            assert_same_host=False,
        )
        try:
            excerpt = response.read(MAX_RESPONSE_BYTES, decode_content=True) or b""
        finally:
            response.release_conn()
    finally:
        pool.close()
    duration = int((time.monotonic() - started) * 1000)
    return Answer(
        status=response.status, excerpt=excerpt[:500].decode("utf-8", "replace"), duration_ms=duration
    )
