"""A real local SMTP server for the tests (aiosmtpd on 127.0.0.1, a free port).

It records the messages it accepts and can be told to answer a recipient with a code (4xx/5xx) or to
stall in DATA for a recipient (to kill a worker mid-send): a stalled message is never counted as
received, the client gets no answer until `release()`.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
import time
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Handler:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.rcpt_codes: dict[str, str] = {}
        self.stall_rcpts: set[str] = set()
        self.stalled = threading.Event()  # a stalled DATA is in progress
        self._release = threading.Event()
        self.lock = threading.Lock()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        code = self.rcpt_codes.get(address)
        if code:
            return code
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.stall_rcpts & set(envelope.rcpt_tos):
            self.stalled.set()
            while not self._release.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 released after the test"  # the sender is gone by then
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def release(self) -> None:
        self._release.set()


class SMTPServer:
    def __init__(self) -> None:
        self.handler = Handler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def messages(self) -> list[Message]:
        with self.handler.lock:
            return list(self.handler.messages)

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if address in (m["To"] or "")]

    def wait_for(self, count: int, timeout: float = 30) -> list[Message]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.messages) >= count:
                return self.messages
            time.sleep(0.1)
        raise AssertionError(f"expected {count} emails within {timeout}s, got {len(self.messages)}")

    def __enter__(self) -> SMTPServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.handler.release()
        self.controller.stop()
