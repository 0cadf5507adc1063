"""A real SMTP server on 127.0.0.1 for tests.

Django's locmem backend never exercises the SMTP code path (connection
handling, encoding, envelope addresses).  This server speaks real SMTP via
aiosmtpd so tests can point EMAIL_HOST/EMAIL_PORT at it and inspect what
actually went over the wire.

    with LocalSMTPServer() as smtp:
        settings.EMAIL_PORT = smtp.port
        ...
        [msg] = smtp.wait_for(1)
        assert msg["To"] == "a@example.org"
        assert msg.envelope_to == ["a@example.org"]
"""

from __future__ import annotations

import email.policy
import logging
import threading
import time
from email.message import EmailMessage
from email.parser import BytesParser
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, Session


class ReceivedMessage(EmailMessage):
    """An EmailMessage that also remembers the SMTP envelope it arrived with.

    Envelope addresses can differ from the To/Cc headers (Bcc!), so tests
    about delivery need both.
    """

    envelope_from: str | None
    envelope_to: list[str]
    auth_login: str | None

    def __init__(self, policy: Any = None) -> None:
        super().__init__(policy=policy if policy is not None else email.policy.default)
        self.envelope_from = None
        self.envelope_to = []
        self.auth_login = None


_POLICY = email.policy.default.clone(message_factory=ReceivedMessage)


class _DropLoginDataDeprecation(logging.Filter):
    """Hide aiosmtpd 1.4's warning about its *own* use of Session.login_data."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Session.login_data is deprecated")


_aiosmtpd_log = logging.getLogger("mail.log")
if not any(isinstance(f, _DropLoginDataDeprecation) for f in _aiosmtpd_log.filters):
    _aiosmtpd_log.addFilter(_DropLoginDataDeprecation())


class _PortDiscoveringController(Controller):
    """Controller that binds port 0 and learns the real port before self-testing.

    Binding port 0 avoids the race of "find a free port, then bind it".
    """

    def _trigger_server(self) -> None:
        sockets = getattr(self.server, "sockets", None)  # asyncio.Server after bind
        if self.port == 0 and sockets:
            self.port = int(sockets[0].getsockname()[1])
        super()._trigger_server()  # type: ignore[no-untyped-call]


class _Handler:
    """aiosmtpd handler that hands every DATA payload to the owning server."""

    def __init__(self, owner: LocalSMTPServer) -> None:
        self._owner = owner

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        message = BytesParser(policy=_POLICY).parsebytes(raw)
        assert isinstance(message, ReceivedMessage)
        message.envelope_from = envelope.mail_from
        message.envelope_to = list(envelope.rcpt_tos)
        login = getattr(getattr(session, "auth_data", None), "login", None)
        message.auth_login = login.decode("utf-8", "replace") if isinstance(login, bytes) else login
        self._owner._record(message)
        return "250 Message accepted for delivery"


def _accept_any_login(server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any) -> AuthResult:
    """Authenticator that accepts any credentials, so EMAIL_HOST_USER settings work."""
    return AuthResult(success=True, auth_data=auth_data)


class LocalSMTPServer:
    """SMTP server on 127.0.0.1 (free port) collecting parsed messages.

    Thread-safe: messages arrive on aiosmtpd's event-loop thread while the
    test thread waits in wait_for().  AUTH (PLAIN/LOGIN) is offered without
    TLS and any credentials are accepted; sending without AUTH works too.
    """

    def __init__(self, *, host: str = "127.0.0.1", ready_timeout: float = 10.0) -> None:
        self.host = host
        self.messages: list[ReceivedMessage] = []
        self._condition = threading.Condition()
        self._controller = _PortDiscoveringController(
            _Handler(self),
            hostname=host,
            port=0,
            ready_timeout=ready_timeout,
            authenticator=_accept_any_login,
            auth_require_tls=False,
        )
        self._started = False

    @property
    def port(self) -> int:
        """TCP port the server listens on (valid after start())."""
        if not self._started:
            raise RuntimeError("LocalSMTPServer is not running; use it as a context manager.")
        return int(self._controller.port)

    def start(self) -> LocalSMTPServer:
        """Bind and start serving in a background thread."""
        if not self._started:
            self._controller.start()
            self._started = True
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._started:
            self._controller.stop()
            self._started = False

    def __enter__(self) -> LocalSMTPServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _record(self, message: ReceivedMessage) -> None:
        with self._condition:
            self.messages.append(message)
            self._condition.notify_all()

    def clear(self) -> None:
        """Forget all messages received so far."""
        with self._condition:
            self.messages.clear()

    def wait_for(self, count: int = 1, timeout: float = 10.0) -> list[ReceivedMessage]:
        """Block until at least count messages arrived; return all received so far."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while len(self.messages) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(self._timeout_message(count, timeout))
                self._condition.wait(remaining)
            return list(self.messages)

    def _timeout_message(self, count: int, timeout: float) -> str:
        """Explain what did (or did not) arrive, to speed up debugging."""
        head = (
            f"Expected at least {count} e-mail(s) on SMTP {self.host}:"
            f"{self._controller.port} within {timeout}s, got {len(self.messages)}"
        )
        if not self.messages:
            return head + ". Is EMAIL_BACKEND the smtp backend and EMAIL_PORT this port?"
        received = [f"  - {m.get('Subject', '(no subject)')!s} -> {m.envelope_to}" for m in self.messages]
        return head + ":\n" + "\n".join(received)
