"""A fake OpenAI-compatible Chat Completions server on 127.0.0.1, for real-HTTP LLM tests.

Tests script it with a `reply` function (request body -> Reply) and read what it received:
`server.requests` holds each request's path, JSON body and the monotonic times it arrived
and was answered (for overlap checks without wall-clock asserts).
It answers in the shape the request asked for: `response_format` (json_schema) requests get
the JSON in `message.content`, `tools` requests get a `tool_calls` entry — the two shapes
langchain-openai sends depending on the model name.
A Reply can also be a fault of the wire rather than of the model: a reply held back until the
client gives up (`hold`), a body sent verbatim (`raw_body`: not JSON, or cut short) or a
connection closed after the first `cut_after` bytes of the HTTP response.
"""

from __future__ import annotations

import json
import re
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    payload: dict | str | None = None  # the structured answer (dict) or raw content (str)
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    error: str | None = None  # error message for non-200 replies
    # Faults of the wire (see the module docstring).
    hold: threading.Event | None = None  # answer only once this is set (the server's exit sets it)
    raw_body: bytes | None = None  # sent as the body, verbatim, with a JSON content type
    cut_after: int | None = None  # close the connection after this many bytes of the response


def _completion(body: dict, payload: dict | str | None, usage: tuple[int, int]) -> dict:
    content: str | None
    message: dict[str, Any] = {"role": "assistant"}
    text = payload if isinstance(payload, str) else json.dumps(payload)
    if body.get("tools"):
        name = body["tools"][0]["function"]["name"]
        message["content"] = None
        message["tool_calls"] = [{
            "id": "call_fake_1", "type": "function",
            "function": {"name": name, "arguments": text},
        }]
        finish = "tool_calls"
    else:
        content = text
        message["content"] = content
        finish = "stop"
    return {
        "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
        "model": body.get("model", "fake"),
        "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
        "usage": {"prompt_tokens": usage[0], "completion_tokens": usage[1],
                  "total_tokens": usage[0] + usage[1]},
    }


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True  # a reply still held back never keeps the test process alive

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (a timeout the test provoked) is expected, not an error to print."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class FakeOpenAI:
    """Start with `with FakeOpenAI(reply) as server:`; `server.base_url` goes to the client."""

    def __init__(self, reply: Callable[[dict], Reply], latency: float = 0.0,
                 usage: tuple[int, int] = (1200, 300)) -> None:
        self.reply = reply
        self.latency = latency
        self.usage = usage
        self.requests: list[dict] = []
        self._held: list[threading.Event] = []  # replies held back (Reply.hold), released on exit
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:  # noqa: N802 (http.server API)
                record: dict[str, Any] = {"path": self.path, "received": time.monotonic()}
                length = int(self.headers.get("Content-Length", 0))
                record["body"] = body = json.loads(self.rfile.read(length) or b"{}")
                with fake._lock:
                    fake.requests.append(record)
                try:
                    if not self.path.rstrip("/").endswith("/chat/completions"):
                        return self._send(404, {"error": {"message": f"no route {self.path}"}})
                    if fake.latency:
                        time.sleep(fake.latency)
                    reply = fake.reply(body)
                    if reply.hold is not None:
                        fake._held.append(reply.hold)
                        reply.hold.wait()
                    if reply.raw_body is not None or reply.cut_after is not None:
                        return self._send_faulty(reply, body)
                    if reply.status != 200:
                        return self._send(reply.status, {"error": {"message": reply.error or "error",
                                                                   "type": "fake_error"}}, reply.headers)
                    self._send(200, _completion(body, reply.payload, fake.usage), reply.headers)
                finally:
                    record["answered"] = time.monotonic()

            def _send(self, status: int, data: dict, headers: dict[str, str] | None = None) -> None:
                raw = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(raw)

            def _send_faulty(self, reply: Reply, body: dict) -> None:
                """The response as bytes on the socket, then the connection closed: a body that
                is not what it claims to be, or a response cut off part way."""
                raw = reply.raw_body if reply.raw_body is not None else json.dumps(
                    _completion(body, reply.payload, fake.usage)).encode()
                head = (f"HTTP/1.1 {reply.status} {'OK' if reply.status == 200 else 'Error'}\r\n"
                        f"Content-Type: application/json\r\nContent-Length: {len(raw)}\r\n"
                        + "".join(f"{k}: {v}\r\n" for k, v in reply.headers.items()) + "\r\n").encode()
                response = head + raw
                self.wfile.write(response[:reply.cut_after] if reply.cut_after is not None else response)
                self.wfile.flush()
                self.close_connection = True  # the client sees the connection end where the bytes do

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    @property
    def calls(self) -> int:
        return len(self.requests)

    def __enter__(self) -> "FakeOpenAI":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        for held in self._held:
            held.set()
        self._server.shutdown()
        self._server.server_close()


def in_turn(*replies: Callable[[dict], Reply]) -> Callable[[dict], Reply]:
    """A reply function answering the n-th request with the n-th reply (the last one repeats)."""
    served = 0
    lock = threading.Lock()

    def reply(body: dict) -> Reply:
        nonlocal served
        with lock:
            index = min(served, len(replies) - 1)
            served += 1
        return replies[index](body)

    return reply


# ---------------------------------------------------------------------- prompt helpers


_SLUG = re.compile(r"^### `([a-z0-9-]+)`", re.M)
_BLOCK = re.compile(r'<evidence id="(E\d+)" source="[^"]*">\n(.*?)\n</evidence>', re.S)


def prompt_text(body: dict) -> str:
    return "\n".join(str(m.get("content") or "") for m in body.get("messages", []))


def slugs_in(body: dict) -> list[str]:
    return _SLUG.findall(prompt_text(body))


def blocks_in(body: dict) -> dict[str, str]:
    return dict(_BLOCK.findall(prompt_text(body)))


def judgement(body: dict, status: str = "met", quote: Callable[[dict[str, str]], tuple[str, str]] | None = None,
              **per_slug: str) -> dict:
    """A well-formed LLMJudgement for every slug in the prompt.

    By default each criterion quotes the first sentence-ish of the first evidence block.
    `per_slug` overrides the status of single criteria (underscores for dashes).
    """
    blocks = blocks_in(body)
    first_id, first_text = next(iter(blocks.items()), ("E1", ""))
    default_quote = (first_id, first_text.strip().split("\n")[0][:80])
    qid, qtext = quote(blocks) if quote else default_quote
    return {
        "criteria": [
            {"slug": s, "status": per_slug.get(s.replace("-", "_"), status),
             "quotes": [{"evidence_id": qid, "text": qtext}] if qtext else [],
             "rationale": f"fake rationale for {s}", "missing": "", "fix": ""}
            for s in slugs_in(body)
        ],
        "summary": "fake summary",
        "injection_detected": False,
    }


def quoting_judgement(body: dict, quotes: dict[str, list[str]], status: str = "met",
                      **per_slug: str) -> dict:
    """A well-formed LLMJudgement whose quotes are the given texts, each with the id of the
    evidence block in the prompt that holds it ("E0" when no block does: a fabricated quote).

    `quotes` maps slug -> quote texts (slugs not in it get none); `per_slug` overrides the
    status of single criteria (underscores for dashes).
    """
    blocks = {bid: " ".join(text.split()) for bid, text in blocks_in(body).items()}

    def block_of(text: str) -> str:
        flat = " ".join(text.split())
        return next((bid for bid, block in blocks.items() if flat in block), "E0")

    return {
        "criteria": [
            {"slug": s, "status": per_slug.get(s.replace("-", "_"), status),
             "quotes": [{"evidence_id": block_of(t), "text": t} for t in quotes.get(s, [])],
             "rationale": f"fake rationale for {s}", "missing": "", "fix": ""}
            for s in slugs_in(body)
        ],
        "summary": "fake summary",
        "injection_detected": False,
    }


def human_prompt(body: dict) -> str:
    """The text of the request's first user message (the control prompt)."""
    return next(str(m.get("content")) for m in body.get("messages", []) if m.get("role") == "user")


def in_flight_peak(requests: list[dict]) -> int:
    """The largest number of requests the server was handling at the same moment."""
    events = sorted([(r["received"], 1) for r in requests] + [(r["answered"], -1) for r in requests],
                    key=lambda e: (e[0], e[1]))  # an answer before an arrival at the same instant
    peak = current = 0
    for _, step in events:
        current += step
        peak = max(peak, current)
    return peak
