"""Start-and-wait helpers for the real local servers some tests run (Chroma, Streamlit)."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable

import httpx
import pytest


def wait_until_healthy(
    proc: subprocess.Popen, health_url: str, healthy: Callable[[httpx.Response], bool],
    timeout: float, describe: Callable[[], str],
) -> None:
    """Poll `health_url` until `healthy`, failing the test if the process dies or time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            pytest.fail(f"{proc.args[0]} exited with {proc.returncode}: {describe()}")
        try:
            if healthy(httpx.get(health_url, timeout=1)):
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"{health_url} did not answer within {timeout:.0f} s: {describe()}")
        time.sleep(0.2)


def stop(proc: subprocess.Popen, timeout: float = 10) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
