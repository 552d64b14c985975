"""A recording proxy on 127.0.0.1 between the grader and the real model server.

It forwards every request unchanged and keeps what went over the wire: the request body, the
status the server answered, the usage it reported and its reply. The tests read the model's
own words from it (to find a criterion it left out or a quote it invented) and the token
counts the server reported (to compare with the report's).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx


@dataclass
class Exchange:
    body: dict[str, Any]
    status: int
    reply: dict[str, Any] = field(default_factory=dict)

    @property
    def usage(self) -> tuple[int, int]:
        usage = self.reply.get("usage") or {}
        return int(usage.get("prompt_tokens", 0)), int(usage.get("completion_tokens", 0))

    @property
    def shape(self) -> str:
        """The structured-output shape the request asked for."""
        if self.body.get("tools"):
            return "function_calling"
        kind = (self.body.get("response_format") or {}).get("type")
        return {"json_schema": "json_schema", "json_object": "json_mode"}.get(kind, "text")

    def answer(self) -> dict[str, Any] | None:
        """The JSON the model wrote (tool-call arguments or message content), if it parses."""
        try:
            message = self.reply["choices"][0]["message"]
            calls = message.get("tool_calls") or []
            text = calls[0]["function"]["arguments"] if calls else message.get("content")
            found = json.loads(text)
        except (KeyError, IndexError, TypeError, ValueError):
            return None
        return found if isinstance(found, dict) else None


class RecordingProxy:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.exchanges: list[Exchange] = []
        proxy = self
        client = httpx.Client(timeout=900)
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                self._forward(None)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("content-length", 0))
                self._forward(self.rfile.read(length))

            def _forward(self, raw: bytes | None) -> None:
                path = self.path.removeprefix("/v1")
                response = client.request("POST" if raw is not None else "GET", f"{proxy.upstream}{path}",
                                          content=raw, headers={"content-type": "application/json"})
                if raw is not None:
                    try:
                        reply = response.json()
                    except ValueError:
                        reply = {"raw": response.text}
                    with lock:
                        proxy.exchanges.append(Exchange(json.loads(raw), response.status_code, reply))
                self.send_response(response.status_code)
                self.send_header("content-type", response.headers.get("content-type", "application/json"))
                self.send_header("content-length", str(len(response.content)))
                self.end_headers()
                self.wfile.write(response.content)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> "RecordingProxy":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()
