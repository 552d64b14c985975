"""Split the blind corpus into its dev and test parts, at random by case, seeded.

    python eval/tools/split_corpus.py eval/corpus/_staging eval/corpus

Each author's cases arrive in `<staging>/<voice>/*.yaml`, their attachments under
`<voice>/files/...`. Every case goes, with every file it attaches, to
`<corpus>/dev/<voice>/` or `<corpus>/test/<voice>/` at the same relative path, so the
attachment paths in the case stay valid. The draw is stratified by (control, expected
verdict) so both parts hold every control and about the same share of bad answers:
within each stratum the cases, sorted by id, are shuffled with `random.Random(SEED)` and
the first round(0.6 n) go to dev. The seed and the rule are in eval/corpus/README.md;
re-running on the same staging gives the same split.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from collections import defaultdict
from pathlib import Path

import yaml

SEED = 20261206
DEV_SHARE = 0.6


def _cases(staging: Path) -> list[tuple[Path, dict]]:
    found = []
    for path in sorted(staging.glob("*/*.y*ml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "control" in data and "expected" in data:
            found.append((path, data))
    return found


def assign(cases: list[tuple[Path, dict]], seed: int = SEED, dev_share: float = DEV_SHARE) -> dict[Path, str]:
    """case file -> 'dev' | 'test', stratified by (control, expected verdict)."""
    strata: dict[tuple[str, str], list[tuple[str, Path]]] = defaultdict(list)
    for path, data in cases:
        strata[(str(data["control"]), str(data["expected"]["verdict"]))].append((str(data["id"]), path))
    rng = random.Random(seed)
    parts = {}
    for key in sorted(strata):
        members = sorted(strata[key])
        rng.shuffle(members)
        n_dev = round(dev_share * len(members))
        for i, (_, path) in enumerate(members):
            parts[path] = "dev" if i < n_dev else "test"
    return parts


def move_case(path: Path, data: dict, staging: Path, destination: Path) -> None:
    voice_dir = path.parent
    target_dir = destination / voice_dir.relative_to(staging)
    target_dir.mkdir(parents=True, exist_ok=True)
    for attachment in data.get("attachments") or []:
        source = (voice_dir / attachment).resolve()
        if not source.is_relative_to(voice_dir.resolve()):
            raise SystemExit(f"{path}: attachment {attachment} lies outside {voice_dir}")
        target = target_dir / attachment
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    shutil.copy2(path, target_dir / path.name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("staging", type=Path)
    parser.add_argument("corpus", type=Path)
    args = parser.parse_args(argv)
    cases = _cases(args.staging)
    parts = assign(cases)
    for path, data in cases:
        move_case(path, data, args.staging, args.corpus / parts[path])
    counts = {part: sum(p == part for p in parts.values()) for part in ("dev", "test")}
    print(f"{len(cases)} cases: dev {counts['dev']}, test {counts['test']} (seed {SEED})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
