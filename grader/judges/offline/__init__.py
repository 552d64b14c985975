"""The offline judge (no network, no API key): reading.py reads sentences, decision.py
decides each criterion, judge.py puts them together; thresholds in tuning.yaml."""

from grader.judges.offline.judge import OfflineJudge

__all__ = ["OfflineJudge"]
