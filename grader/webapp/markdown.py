"""Partner text shown through Markdown, inert: it must not turn into links, lists or formulas."""

from __future__ import annotations

import re

# Inline Markdown (and Streamlit's $math$, :color[...] directives, and HTML entities: "&lt;"
# written by a partner shows as "&lt;", not "<"); the text is one line, so block syntax can
# only start it: handled separately.
_MD_INLINE = str.maketrans({c: "\\" + c for c in "\\`*_[]<>$~|#&"})
_MD_BLOCK_START = re.compile(r"^(\d+)([.)])|^([-+=])")


def md_escape(text: str) -> str:
    """Partner text shown as Markdown must not become links, headings, lists or formulas."""
    line = " ".join(text.split()).translate(_MD_INLINE)
    return _MD_BLOCK_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}", line)
