"""An ASGI middleware that refuses request bodies over a size limit with 413 and a reason.

The limit is enforced while the body streams in (a declared ``Content-Length`` over it is refused
before anything is read), so that a huge upload never reaches memory or a temporary file whole.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class _TooLarge(Exception):
    pass


class BodyLimit:
    """Refuse HTTP request bodies larger than ``max_bytes`` (413 with a JSON ``detail``).

    Parameters
    ----------
    app : ASGI application
        The wrapped application.
    max_bytes : int
        Largest body accepted, bytes.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _reason(self, size: int | None) -> bytes:
        told = "the request body" if size is None else f"the request body of {size} bytes"
        detail = f"{told} is over the limit of {self.max_bytes} bytes (max_upload_bytes)"
        return json.dumps({"detail": detail}).encode()

    async def _refuse(self, send: Send, size: int | None) -> None:
        body = self._reason(size)
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the wrapped app, counting the body it receives.

        Parameters
        ----------
        scope : Scope
            The ASGI scope.
        receive : Receive
            The ASGI receive channel.
        send : Send
            The ASGI send channel.
        """
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(send, declared)
            return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(send, None)


def _content_length(scope: dict[str, Any] | Scope) -> int | None:
    for key, value in scope.get("headers", []):
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
