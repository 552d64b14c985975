"""Checks made before a file is opened: where it is, how big it is, how big it unzips to.

Each returns a message for the partner, or None when the file may be read.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

_MB = 1024 * 1024


def outside_folder(path: Path, base_dir: Path) -> str | None:
    """An attachment must stay inside the application folder (`../../etc/passwd` must not)."""
    try:
        path.resolve().relative_to(base_dir.resolve())
    except ValueError:
        return "path escapes the application folder; attachments must be inside it"
    return None


def missing(path: Path) -> str | None:
    if not path.exists():
        return "file not found"
    if not path.is_file():
        return "not a file (a folder or a device)"
    return None


def too_large(path: Path, max_mb: float) -> str | None:
    size = path.stat().st_size
    if size > max_mb * _MB:
        return f"file is {size / _MB:.1f} MB, above the {max_mb:g} MB limit (GRADER_MAX_FILE_MB)"
    return None


def zip_bomb(path: Path, max_unzipped_mb: float) -> str | None:
    """DOCX and XLSX are zip archives: refuse ones that would inflate past the limit.

    The declared sizes are trusted because zipfile never inflates a member beyond its
    declared size, so a lying header cannot make the readers use more memory than this.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        return f"corrupt {path.suffix[1:].upper()}: not a valid zip archive ({exc})"
    if total > max_unzipped_mb * _MB:
        return (
            f"archive would unpack to {total / _MB:,.0f} MB, above the {max_unzipped_mb:g} MB limit "
            "(GRADER_MAX_UNZIPPED_MB); refused as a possible zip bomb"
        )
    return None
