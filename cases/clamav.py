"""A small clamd client: PING and INSTREAM over a Unix or TCP socket (clamd's documented protocol).

`clamav_url` forms: `unix:///run/clamav/clamd.ctl` or `tcp://clamav:3310`.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass
from typing import IO
from urllib.parse import urlparse

CHUNK = 64 * 1024


class ScannerError(Exception):
    """clamd could not be reached or answered something unexpected (the scan is retried)."""


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    signature: str = ""


@dataclass(frozen=True)
class ClamdClient:
    family: int
    address: str | tuple[str, int]
    timeout: float = 30.0

    @classmethod
    def from_url(cls, url: str, *, timeout: float = 30.0) -> ClamdClient:
        parsed = urlparse(url)
        if parsed.scheme == "unix":
            return cls(socket.AF_UNIX, parsed.path, timeout)
        if parsed.scheme == "tcp" and parsed.hostname:
            return cls(socket.AF_INET, (parsed.hostname, parsed.port or 3310), timeout)
        raise ValueError(f"CLAMAV_URL must be unix:///path or tcp://host:port, not {url!r}")

    def _connect(self) -> socket.socket:
        sock = socket.socket(self.family, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self.address)
        except OSError as exc:
            sock.close()
            raise ScannerError(f"clamd unreachable at {self.address}: {exc}") from exc
        return sock

    @staticmethod
    def _reply(sock: socket.socket) -> str:
        data = b""
        while not data.endswith(b"\0"):
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
        return data.rstrip(b"\0").decode("utf-8", "replace").strip()

    def ping(self) -> None:
        with self._connect() as sock:
            sock.sendall(b"zPING\0")
            reply = self._reply(sock)
        if reply != "PONG":
            raise ScannerError(f"clamd answered {reply!r} to PING")

    def scan(self, stream: IO[bytes]) -> ScanResult:
        try:
            with self._connect() as sock:
                sock.sendall(b"zINSTREAM\0")
                for chunk in iter(lambda: stream.read(CHUNK), b""):
                    sock.sendall(struct.pack("!L", len(chunk)) + chunk)
                sock.sendall(struct.pack("!L", 0))
                reply = self._reply(sock)
        except OSError as exc:
            raise ScannerError(f"clamd scan failed: {exc}") from exc
        # "stream: OK" | "stream: Eicar-Signature FOUND" | "INSTREAM size limit exceeded. ERROR"
        if reply.endswith(" OK"):
            return ScanResult(clean=True)
        if reply.endswith(" FOUND"):
            return ScanResult(
                clean=False, signature=reply.removeprefix("stream:").removesuffix("FOUND").strip()
            )
        raise ScannerError(f"clamd answered {reply!r}")
