"""What makes two runs "the same", and the cache that makes an unchanged re-run instant.

The fingerprint covers everything the verdicts depend on: each answer's text, the bytes
of every attachment, the judge configuration (never the API key) and the knowledge
catalogue's content. The cache lives in server memory (one per Streamlit process), so a
new grader version or a restart always grades afresh.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict

from grader import __version__
from grader.models import Application


class JudgeChoice(BaseModel):
    """The judge settings a run used: what is shown, stored and fingerprinted (no secrets)."""

    model_config = ConfigDict(frozen=True)

    judge: str = "offline"
    provider: str = "openai"
    model: str | None = None
    base_url: str | None = None

    def label(self) -> str:
        if self.judge == "offline":
            return "offline"
        return f"llm ({self.provider}: {self.model or 'no model'})"


def fingerprint(
    application: Application,
    files: Mapping[str, bytes],
    choice: JudgeChoice,
    catalogue_hashes: Mapping[str, str],
) -> str:
    """A stable hash of an application's content and the way it will be judged.

    The folder the files sit in is left out on purpose: the same upload lands in a new
    temporary folder each time.
    """
    digest = hashlib.sha256()
    payload = {
        "grader": __version__,
        "judge": choice.model_dump(),
        "catalogue": dict(sorted(catalogue_hashes.items())),
        "partner": application.partner,
        "program": application.program,
        "controls": {
            cid: {"response": a.response, "attachments": a.attachments}
            for cid, a in sorted(application.controls.items())
        },
        "errors": [e.model_dump() for e in application.errors],
    }
    digest.update(json.dumps(payload, sort_keys=True).encode())
    for name in sorted(files):
        digest.update(b"\0" + name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return digest.hexdigest()


class RunCache:
    """(store, fingerprint) -> id of the stored assessment; bounded, thread-safe.

    Keyed by store too, so two stores served by one process never share results.
    """

    def __init__(self, capacity: int = 128) -> None:
        self._capacity = capacity
        self._entries: OrderedDict[tuple[str, str], str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, store: str, key: str) -> str | None:
        with self._lock:
            found = self._entries.get((store, key))
            if found is not None:
                self._entries.move_to_end((store, key))
            return found

    def put(self, store: str, key: str, assessment_id: str) -> None:
        with self._lock:
            self._entries[(store, key)] = assessment_id
            self._entries.move_to_end((store, key))
            while len(self._entries) > self._capacity:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
