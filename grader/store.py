"""Chroma access: an embedded PersistentClient under GRADER_HOME, or a Chroma server.

One place decides where vectors live, so the knowledge index and retrieval work the
same against a local directory and against `chroma run` on another machine
(`--chroma-url` / GRADER_CHROMA_URL). Every collection uses the offline MiniLM
embedding function and cosine distance; telemetry is off everywhere.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from urllib.parse import urlsplit

# Belt and braces: chroma clients created anywhere in this process (not only ours) read
# this when their Settings are built, so none of them sends telemetry.
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import chromadb  # noqa: E402
import httpx  # noqa: E402
from chromadb.api import ClientAPI  # noqa: E402
from chromadb.api.models.Collection import Collection  # noqa: E402
from chromadb.config import Settings as ChromaSettings  # noqa: E402
from pydantic import BaseModel  # noqa: E402

from grader.config import Settings, get_settings  # noqa: E402
from grader.embeddings import get_embedder  # noqa: E402
from grader.errors import UserError  # noqa: E402

KNOWLEDGE_COLLECTION = "sdp-knowledge"
HEARTBEAT_TIMEOUT_S = 5.0  # chroma's own HTTP client waits forever on a silent host


class StoreError(UserError):
    """The vector store cannot be opened or reached."""


class ServerAddress(BaseModel):
    host: str
    port: int
    ssl: bool

    @property
    def url(self) -> str:
        return f"{'https' if self.ssl else 'http'}://{self.host}:{self.port}"


def parse_chroma_url(url: str) -> ServerAddress:
    """`http://host:port` or `https://host[:port]` -> host, port, ssl."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(f"invalid Chroma URL {url!r}: expected http://host:port or https://host:port")
    ssl = parts.scheme == "https"
    try:
        port = parts.port or (443 if ssl else 8000)
    except ValueError as exc:
        raise StoreError(f"invalid Chroma URL {url!r}: {exc}") from exc
    return ServerAddress(host=parts.hostname, port=port, ssl=ssl)


def _chroma_settings() -> ChromaSettings:
    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def _check_reachable(address: ServerAddress, url: str) -> None:
    """Fail fast, with one clear line, when no Chroma server answers at the URL."""
    try:
        response = httpx.get(f"{address.url}/api/v2/heartbeat", timeout=HEARTBEAT_TIMEOUT_S)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise StoreError(f"cannot reach Chroma at URL: {url} ({exc.__class__.__name__}: {exc})") from exc


def get_client(settings: Settings | None = None) -> ClientAPI:
    """A Chroma client: HttpClient when settings.chroma_url is set, else a PersistentClient."""
    settings = settings or get_settings()
    if settings.chroma_url:
        address = parse_chroma_url(settings.chroma_url)
        _check_reachable(address, settings.chroma_url)
        try:
            return chromadb.HttpClient(
                host=address.host, port=address.port, ssl=address.ssl, settings=_chroma_settings()
            )
        except Exception as exc:  # chroma raises ValueError/httpx errors on a bad server
            raise StoreError(f"cannot reach Chroma at URL: {settings.chroma_url} ({exc})") from exc
    path = settings.chroma_dir
    try:
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=_chroma_settings())
    except OSError as exc:
        raise StoreError(f"{path}: cannot create the Chroma data directory: {exc.strerror}") from exc
    except Exception as exc:  # e.g. a directory written by an incompatible chroma version
        raise StoreError(f"{path}: cannot open the Chroma store: {exc}") from exc


@lru_cache(maxsize=4)
def _cached_client(chroma_url: str | None, chroma_dir: str) -> ClientAPI:
    settings = get_settings()
    return get_client(settings)


_client_lock = threading.Lock()
_ephemeral: ClientAPI | None = None


def _ephemeral_client() -> ClientAPI:
    """One in-memory client per process, created under a lock: the LLM judge grades
    controls in threads and Chroma's client registry is not safe to race on first use."""
    global _ephemeral
    with _client_lock:
        if _ephemeral is None:
            _ephemeral = chromadb.EphemeralClient(settings=_chroma_settings())
        return _ephemeral


def knowledge_client() -> ClientAPI:
    """The process-wide client for the current settings' store (embedded or server)."""
    settings = get_settings()
    with _client_lock:
        return _cached_client(settings.chroma_url, str(settings.chroma_dir))


def evidence_client() -> ClientAPI:
    """The client for per-application evidence collections.

    Evidence is working data, not knowledge: embedded, it lives in memory for the process;
    with a Chroma server configured it goes to the server (and retrieval drops it after use).
    """
    settings = get_settings()
    return knowledge_client() if settings.chroma_url else _ephemeral_client()


def _collection(client: ClientAPI, name: str) -> Collection:
    return client.get_or_create_collection(
        name,
        embedding_function=get_embedder(),
        configuration={"hnsw": {"space": "cosine"}},
    )


def knowledge_collection(client: ClientAPI) -> Collection:
    """The calibration knowledge (criteria, good and unacceptable examples)."""
    return _collection(client, KNOWLEDGE_COLLECTION)


def evidence_collection(client: ClientAPI, name: str) -> Collection:
    """A per-application collection of the partner's evidence chunks."""
    return _collection(client, name)


def drop_collection(client: ClientAPI, name: str) -> bool:
    """Delete a collection if it exists; True when something was deleted."""
    if name not in {c.name for c in client.list_collections()}:
        return False
    client.delete_collection(name)
    return True
