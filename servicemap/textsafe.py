"""Make data strings safe for the places they are shown: Markdown (Streamlit text) and JSON inside
a <script> element."""

from __future__ import annotations

import json
import string
from collections.abc import Mapping, Sequence

_MARKDOWN_SPECIALS = frozenset(string.punctuation)
# A spreadsheet cell starting with one of these is run as a formula by Excel/WPS (CSV/formula injection,
# OWASP); the downloads put an apostrophe before it, which makes the spreadsheet show it as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def markdown_literal(text: object) -> str:
    """Text that Streamlit's Markdown shows exactly as written: every ASCII punctuation mark is
    backslash-escaped (CommonMark allows that for all of them), so no link, emphasis, math,
    colour directive or HTML can form. Newlines become spaces: one value, one paragraph."""
    value = "" if text is None else str(text)
    escaped = "".join("\\" + ch if ch in _MARKDOWN_SPECIALS else ch for ch in value)
    return " ".join(escaped.splitlines())


def script_safe_json(value: object) -> str:
    """JSON that can sit inside a <script> element: '<' is escaped so no '</script>' can close it, and the
    two line separators JavaScript once refused inside strings are escaped too. NaN is refused.

    Chinese stays as UTF-8 (3 bytes a character) instead of \\uXXXX (6 bytes).
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def literal_rows(rows: Sequence[Mapping[str, object]]) -> list[dict[str, str]]:
    """Table rows for st.table, which renders every header and cell as Markdown: each through
    markdown_literal, so a name like "[x](http://…)" or "![](http://…)" stays text, not a link or an image
    fetched from outside. Missing values become empty cells."""
    return [{markdown_literal(key): markdown_literal(value) for key, value in row.items()} for row in rows]


def markdown_table(columns: Mapping[str, Sequence[object]], empty: str = "—") -> str:
    """A Markdown table of literal text: every cell through markdown_literal (which also escapes "|"),
    an empty cell shown as `empty`. Columns are equally long; the headers are the mapping's keys."""
    headers = list(columns)
    rows = zip(*(columns[header] for header in headers), strict=True)
    lines = [
        "| " + " | ".join(markdown_literal(header) for header in headers) + " |",
        "|" + "---|" * len(headers),
        *("| " + " | ".join(markdown_literal(cell) or empty for cell in row) + " |" for row in rows),
    ]
    return "\n".join(lines)
