"""What a benchmark run produces: sections of rows and figures, and targets met or missed."""

from __future__ import annotations

import platform
from datetime import datetime, timezone
from typing import Any

from pydantic import BaseModel, Field, computed_field


class Target(BaseModel):
    name: str
    measured: float
    limit: float
    unit: str
    higher_is_better: bool = False

    @computed_field  # type: ignore[prop-decorator]
    @property
    def met(self) -> bool:
        return self.measured >= self.limit if self.higher_is_better else self.measured <= self.limit


class Section(BaseModel):
    key: str  # stable id, e.g. "ingest"
    title: str
    columns: list[str]
    rows: list[dict[str, Any]]  # column -> value
    figures: dict[str, Any] = Field(default_factory=dict)  # the raw numbers behind the rows
    targets: list[Target] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


def machine() -> dict[str, Any]:
    import os

    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "load_avg_start": load_average()}


def load_average() -> float | None:
    """The 1-minute load average: other work on the machine slows every figure down."""
    import os

    try:
        return round(os.getloadavg()[0], 2)
    except OSError:  # not available on this platform
        return None


class BenchReport(BaseModel):
    mode: str
    command: str
    started: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))
    seconds: float = 0.0
    machine: dict[str, Any] = Field(default_factory=machine)
    sections: list[Section] = Field(default_factory=list)

    @property
    def targets(self) -> list[Target]:
        return [t for s in self.sections for t in s.targets]
