"""Parser for Mintlify interview pages: MDX components around Markdown bodies.

The stages, in the manner of markdown-it-py, each in its own module:

1. `_mdx`: bytes → text (UTF-8, line ends, control characters) → a tree of MDX components and
   Markdown runs (the only place that matches tags; fences are skipped; nesting is capped).
2. `_blocks`: Markdown runs → top-level blocks with their labels (markdown-it-py tokens).
3. `_fields`: an accordion's blocks → `Question` fields, driven by `LABEL_RULES` and
   `FOLLOW_UP_FORMS`.
4. `_document`: sections, ids, numbers, levels and diagnostics → a `Library`.

No stage raises anything but `ParseError`.
"""

from __future__ import annotations

from dockerqa._document import DocumentParser, infer_level, natural_id
from dockerqa._fields import LABEL_RULES, label_rule
from dockerqa._mdx import accordions, decode, scan
from dockerqa._meta import CorpusMeta
from dockerqa.model import Library

__all__ = [
    "LABEL_RULES",
    "infer_level",
    "iter_body_texts",
    "label_rule",
    "natural_id",
    "parse_document",
]


def parse_document(
    data: bytes | str, file: str = "<string>", meta: CorpusMeta | None = None
) -> Library:
    """Parse one interview page into a `Library`; raises `ParseError` on malformed input."""
    text, diagnostics = decode(data, file)
    del data  # the page's bytes are not needed once decoded
    parser = DocumentParser(text, file, meta or CorpusMeta(), diagnostics)
    del text  # the parser keeps the lines only
    return parser.parse()


def iter_body_texts(lib_file: str, data: str) -> list[tuple[int, int, str]]:
    """Each accordion's (first line, last line, raw body) — used by the nothing-lost check."""
    lines = decode(data, lib_file)[0].split("\n")
    return [
        (c.open_line + 1, c.close_line + 1, "\n".join(lines[c.open_line + 1 : c.close_line]))
        for c in accordions(scan(lines, 0, lib_file))
    ]
