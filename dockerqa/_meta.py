"""Page metadata: the TOML file beside a page (its key, deck title, provenance, section ids and
levels, topic rules and written card fronts).

The file is validated by `MetaFile` (strict types, no unknown keys); any problem is one
`MetadataError` naming the file, the line where the key is found and the key path
(``docker.toml:12: sections[3].level: unknown level 'expert' (choose from …)``).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from dockerqa._files import read_input, reason
from dockerqa._text import not_utf8, slugify, title_slug
from dockerqa.errors import MetadataError
from dockerqa.model import FrozenModel, Level

_NUMBER = re.compile(r"^\d+\.\s+")


@dataclass(frozen=True)
class WrittenFront:
    """A card front written for one question (``[fronts."section/slug"]``)."""

    ask: str
    """The question the card asks."""
    lead: str | None
    """The sentence that introduces a code-only answer, shown before it."""
    content: str
    """`dockerqa.study.front_fingerprint` of the question the front was written for."""
    line: int
    """The line of the front's table in the metadata file."""


@dataclass(frozen=True)
class CorpusMeta:
    """What the metadata file says; every part is optional."""

    #: the page's stable identity key (a lowercase slug), when the file gives one
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
    #: question id → the card front written for it (``[fronts]``)
    fronts: dict[str, WrittenFront] = field(default_factory=dict)
    #: the file, and the line of each ``[[sections]]`` heading and ``[levels]`` id in it (for
    #: messages about them)
    file: str | None = None
    lines: dict[tuple[str, str], int] = field(default_factory=dict)

    def section_id(self, heading: str) -> str:
        """The section's key: from the metadata, else a slug of the heading without its number
        (of its own characters when it has no Latin letters or digits: ``基础``, never a
        place on the page)."""
        sid = self.sections.get(heading, (None, None))[0]
        text = _NUMBER.sub("", heading)
        return sid or slugify(text) or title_slug(text) or "section"

    def section_level(self, heading: str) -> Level | None:
        """The level the metadata gives a section, if any."""
        return self.sections.get(heading, (None, None))[1]

    def tags_for(self, title: str) -> tuple[str, ...]:
        """Topic tags whose keywords occur in the title (case-insensitive; whole words, or
        anywhere for a keyword outside ASCII, as scripts written without spaces need)."""
        t = f" {title_slug(title).replace('-', ' ')} "

        def holds(keyword: str) -> bool:
            return f" {keyword} " in t if keyword.isascii() else keyword in t

        return tuple(sorted(tag for tag, kws in self.topics.items() if any(map(holds, kws))))


# --- the file, as a validated model ----------------------------------------------------------

_KEY = r"[a-z0-9][a-z0-9._-]*"


class _Strict(FrozenModel):
    model_config = ConfigDict(strict=True)


class SectionFile(_Strict):
    """One ``[[sections]]`` entry."""

    heading: str
    """The section heading exactly as printed."""
    id: str | None = None
    """The section's stable key (default: a slug of the heading)."""
    level: str | None = None
    """The level of the section's questions."""

    @field_validator("level")
    @classmethod
    def _known_level(cls, value: str | None) -> str | None:
        return None if value is None else _level_value(value)


class FrontFile(_Strict):
    """One ``[fronts."section/slug"]`` table."""

    ask: str = Field(min_length=1)
    """What the card asks: one question, answerable from memory."""
    lead: str | None = None
    """For an answer that is only code: the sentence that introduces it."""
    content: str = Field(pattern=r"^[0-9a-f]{8}$")
    """The question's content fingerprint when the front was written (``validate`` reports a
    front whose question changed since)."""


class MetaFile(_Strict):
    """``NAME.toml`` as written: every key optional, no other key allowed."""

    key: str | None = Field(None, pattern=rf"^{_KEY}$")
    """The page's stable identity key, a lowercase slug (``[a-z0-9][a-z0-9._-]*``)."""
    title: str | None = None
    """Deck and document title."""
    source_url: str | None = None
    """Where the page was published."""
    provenance: str | None = None
    """Where the text comes from and how it is kept."""
    sections: list[SectionFile] = Field(default_factory=list)
    """Sections by heading: stable key and level."""
    levels: dict[str, Any] = Field(default_factory=dict)
    """Question id → level, overriding the section's level."""
    topics: dict[str, list[str]] = Field(default_factory=dict)
    """Tag → title keywords."""
    fronts: dict[str, FrontFile] = Field(default_factory=dict)
    """Question id → the card front written for it."""

    @field_validator("levels")
    @classmethod
    def _known_levels(cls, value: dict[str, Any]) -> dict[str, Any]:
        for qid, level in value.items():
            try:
                _level_value(level)
            except ValueError as exc:
                raise PydanticCustomError("dockerqa_level", str(exc), {"at": qid}) from None
        return value


def _level_value(value: Any) -> str:
    try:
        return Level(value).value
    except ValueError:
        choices = ", ".join(lv.value for lv in Level)
        raise ValueError(f"unknown level {value!r} (choose from {choices})") from None


#: Problems pydantic reports, in TOML words (by error type).
_MESSAGES = {
    "string_type": "must be a string",
    "dict_type": "must be a table",
    "model_type": "must be a table",
    "model_attributes_type": "must be a table",
    "tuple_type": "must be an array",
    "list_type": "must be an array",
    "missing": "missing (it is required)",
    "string_pattern_mismatch": (
        "must be a lowercase slug: a-z or 0-9 first, then a-z, 0-9, '.', '_' or '-'"
    ),
    "string_too_short": "must not be empty",
}


def _key_path(loc: tuple[Any, ...]) -> str:
    """``sections[2].id``, ``topics.x[1]``: the TOML key of an error, arrays counted from 1."""
    out = ""
    for part in loc:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _known_keys(model: type[BaseModel]) -> str:
    return ", ".join(sorted(model.model_fields))


def _message(err: Any) -> str:
    loc = tuple(err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        models: dict[str, type[BaseModel]] = {"sections": SectionFile, "fronts": FrontFile}
        model = models.get(str(loc[0]), MetaFile)
        return f"unknown key (known: {_known_keys(model)})"
    if kind == "dockerqa_level":
        return str(err["msg"])
    if kind == "value_error":
        return str(err["ctx"]["error"])
    if loc and loc[0] == "fronts" and loc[-1] == "content" and kind == "string_pattern_mismatch":
        return "must be 8 hex digits (the fingerprint `dockerqa validate` asks for)"
    if loc == ("sections",) and kind == "list_type":
        return "must be an array of tables ([[sections]])"
    if loc and loc[0] == "topics" and len(loc) == 2 and kind == "list_type":
        return "must be an array of strings"
    return _MESSAGES.get(kind, str(err["msg"]))


def _toml_line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """Best guess at the line of a key path: each part searched for after the previous one."""
    lines = text.splitlines()
    row, found = 0, False
    parent: str | None = None
    for part in loc:
        if isinstance(part, int):
            if parent is None:
                break
            header = re.compile(rf"^\s*\[\[\s*{re.escape(parent)}\s*\]\]")
            hits = [i for i in range(row, len(lines)) if header.match(lines[i])]
            if part < len(hits):
                row, found = hits[part], True
            continue
        key = re.escape(str(part))
        pattern = re.compile(rf"^\s*(?:\[+\s*)?(?:[\w.\-\"']+\.)?[\"']?{key}[\"']?\s*(?:=|\]|\.)")
        hit = next((i for i in range(row, len(lines)) if pattern.match(lines[i])), None)
        if hit is not None:
            row, found = hit, True
        parent = str(part)
    return row + 1 if found else None


def _validate(data: dict[str, Any], text: str, path: Path) -> MetaFile:
    try:
        return MetaFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        if err["type"] == "dockerqa_level":
            loc = (*loc, err["ctx"]["at"])
        if loc and loc[-1] == "[key]":  # pydantic's marker for a bad dict key
            loc = loc[:-1]
        raise MetadataError(_message(err), path, _toml_line_of(text, loc), _key_path(loc)) from None


def read_meta(path: Path) -> CorpusMeta:
    """Read a metadata TOML file; `MetadataError` with its line and key on any problem."""
    try:
        raw = read_input(path)
    except OSError as exc:
        raise MetadataError(f"cannot read: {reason(exc)}", path) from None
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")  # a BOM, as Windows editors write
    except UnicodeDecodeError as exc:
        why = not_utf8(raw, exc.start)
        line = 1 if why.endswith("UTF-16)") else raw.count(b"\n", 0, exc.start) + 1
        raise MetadataError(f"{why}; save it as UTF-8", path, line) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        line = int(m.group(1)) if m else text.count("\n") + (not text.endswith("\n"))
        raise MetadataError(f"invalid TOML: {exc}", path, line) from None
    meta = _validate(data, text, path)
    return CorpusMeta(
        key=meta.key,
        title=meta.title,
        source_url=meta.source_url,
        provenance=meta.provenance,
        sections={
            s.heading: (s.id, Level(s.level) if s.level is not None else None)
            for s in meta.sections
        },
        question_levels={qid: Level(v) for qid, v in meta.levels.items()},
        topics={
            tag: tuple(title_slug(k).replace("-", " ") for k in kws if k.strip())
            for tag, kws in meta.topics.items()
        },
        fronts={
            qid: WrittenFront(f.ask, f.lead, f.content, _toml_line_of(text, ("fronts", qid)) or 1)
            for qid, f in meta.fronts.items()
        },
        file=str(path),
        lines={
            **{
                ("sections", s.heading): _toml_line_of(text, ("sections", i, "heading")) or 1
                for i, s in enumerate(meta.sections)
            },
            **{("levels", qid): _toml_line_of(text, ("levels", qid)) or 1 for qid in meta.levels},
        },
    )
