"""Corpus metadata: the TOML file beside a source page (deck title, provenance, level rules)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dockerqa._text import slugify
from dockerqa.errors import ParseError
from dockerqa.model import Level

_NUMBER = re.compile(r"^\d+\.\s+")
#: What a page key looks like (``key = "…"`` in the metadata).
KEY_PATTERN = r"[a-z0-9][a-z0-9._-]{0,63}"


@dataclass(frozen=True)
class CorpusMeta:
    """What the metadata file says; every part is optional."""

    key: str | None = None
    title: str | None = None
    source_url: str | None = None
    provenance: str | None = None
    #: section heading (as printed) → (id, level)
    sections: dict[str, tuple[str | None, Level | None]] = field(default_factory=dict)
    #: question id → level, overriding the section's level
    question_levels: dict[str, Level] = field(default_factory=dict)
    #: tag → title keywords that give a question that tag
    topics: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: id a question would get → id it keeps (renames recorded in the lock file)
    renamed: dict[str, str] = field(default_factory=dict)

    def section_id(self, heading: str) -> str:
        """The section's key: from the metadata, else a slug of the heading without its number."""
        sid = self.sections.get(heading, (None, None))[0]
        return sid or slugify(_NUMBER.sub("", heading)) or "section"

    def section_level(self, heading: str) -> Level | None:
        """The level the metadata gives a section, if any."""
        return self.sections.get(heading, (None, None))[1]

    def tags_for(self, title: str) -> tuple[str, ...]:
        """Topic tags whose keywords occur in the title (whole words, case-insensitive)."""
        t = f" {slugify(title).replace('-', ' ')} "
        return tuple(
            sorted(tag for tag, kws in self.topics.items() if any(f" {k} " in t for k in kws))
        )


def _level(value: Any, file: Path, where: str) -> Level:
    try:
        return Level(value)
    except ValueError:
        choices = ", ".join(lv.value for lv in Level)
        raise ParseError(
            f"{where}: unknown level {value!r} (choose from {choices})", file
        ) from None


def read_meta(path: Path) -> CorpusMeta:
    """Read a metadata TOML file; `ParseError` with its line on bad TOML or bad values."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) else 1
        raise ParseError(f"invalid TOML: {exc}", path, line) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ParseError(f"cannot read metadata: {exc}", path) from None
    sections: dict[str, tuple[str | None, Level | None]] = {}
    for i, entry in enumerate(data.get("sections", [])):
        if not isinstance(entry, dict) or "heading" not in entry:
            raise ParseError(f"[[sections]] entry {i + 1} needs a 'heading'", path)
        level = _level(entry["level"], path, entry["heading"]) if "level" in entry else None
        sections[entry["heading"]] = (entry.get("id"), level)
    levels = {qid: _level(v, path, qid) for qid, v in data.get("levels", {}).items()}
    topics = {
        tag: tuple(slugify(k).replace("-", " ") for k in kws)
        for tag, kws in data.get("topics", {}).items()
    }
    key = data.get("key")
    if key is not None and not (isinstance(key, str) and re.fullmatch(KEY_PATTERN, key)):
        raise ParseError(
            f"key: must be a lowercase slug such as 'docker' or 'k8s-interview', not {key!r}", path
        )
    return CorpusMeta(
        key=key,
        title=data.get("title"),
        source_url=data.get("source_url"),
        provenance=data.get("provenance"),
        sections=sections,
        question_levels=levels,
        topics=topics,
    )
