"""A real SMTP server (aiosmtpd) in the test process, recording what it receives."""

from __future__ import annotations

import asyncio
import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RecordingHandler:
    """Accepts mail and records it; `data_replies` / `rcpt_replies` script refusals."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], bytes]] = []
        self.data_replies: list[str] = []
        self.rcpt_replies: dict[str, str] = {}
        self.delay = 0.0  # seconds to think before accepting each message
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.rcpt_replies.get(address)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            if self.data_replies:
                reply = self.data_replies.pop(0)
                if not reply.startswith("250"):
                    return reply
            self.received.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


class SmtpServer:
    def __init__(self) -> None:
        self.handler = RecordingHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def messages(self) -> list[EmailMessage]:
        with self.handler.lock:
            return [
                message_from_bytes(raw, policy=policy.default) for _, raw in self.handler.received
            ]

    def messages_to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages() if address in str(m["To"])]

    def restart(self) -> None:
        """Start again on the same port after `controller.stop()` (a fresh event loop)."""
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def clear(self) -> None:
        with self.handler.lock:
            self.handler.received.clear()

    def message_ids(self) -> list[str]:
        return [str(message["Message-ID"]) for message in self.messages()]
