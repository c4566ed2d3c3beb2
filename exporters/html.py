"""HTML: a printable, self-contained cheat sheet (inline CSS, no scripts, no requests).

The page is rendered from ``templates/cheatsheet.html.j2`` with autoescape on: text from
the source is escaped by jinja2, and only the renderer's own HTML (`dockerqa.render`) is
marked safe. Any error in a template (bad syntax, a failing expression such as ``{{ 1/0 }}``,
a file that is not UTF-8 or cannot be read) is one `ExportError` naming the template file and
line. ``compact`` keeps what fits revision on paper (title, the answer's first
paragraph, red flag, follow-up questions) in two columns.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
)
from jinja2.loaders import split_template_path
from markupsafe import Markup

from dockerqa._blocks import is_lead_in, text_blocks
from dockerqa.errors import ExportError
from dockerqa.exporting import ExportContext, Exporter, Option, encoded, file_name
from dockerqa.model import PARTS_BY_NAME, Library, Question, Section
from dockerqa.render import BASE_CSS, pygments_css, render_inline, render_markdown

TEMPLATE = "cheatsheet.html.j2"


@dataclass(frozen=True)
class _Block:
    label: str
    css: str
    html: Markup


@dataclass(frozen=True)
class _FollowUp:
    question: Markup
    answer: Markup | None


@dataclass(frozen=True)
class _QuestionView:
    id: str
    title: Markup
    level: str
    kind: str
    blocks: tuple[_Block, ...]
    follow_ups: tuple[_FollowUp, ...]


@dataclass(frozen=True)
class _SectionView:
    id: str
    heading: str
    notes: tuple[Markup, ...]
    questions: tuple[_QuestionView, ...]


def _md(text: str) -> Markup:
    return Markup(render_markdown(text).strip())  # the renderer's output is safe HTML


def _inline(text: str) -> Markup:
    return Markup(render_inline(text))  # the renderer's output is safe HTML


def first_paragraph(markdown: str) -> str:
    """The Markdown source of the first top-level paragraph that says something.

    Callouts and lead-ins (`dockerqa._blocks.is_lead_in`) are skipped. Text without such a
    paragraph (a code-only answer, say) gives its first block instead.
    """
    blocks = text_blocks(markdown) if markdown.strip() else []
    chosen = next((b for b in blocks if b.kind == "paragraph" and not is_lead_in(b)), None)
    chosen = chosen or (blocks[0] if blocks else None)
    return "" if chosen is None else chosen.text.strip()


def _full_blocks(q: Question) -> list[_Block]:
    """Every part in study order, under its label (the answer has none)."""
    return [
        _Block(
            "" if spec is not None and spec.name == "answer" else label,
            "part" if spec is None else spec.css_class,
            _md(text),
        )
        for spec, label, text in q.study_parts()
    ]


def _compact_blocks(q: Question) -> list[_Block]:
    # The answer's first paragraph; items without an answer show their prompt or strong answer.
    source = q.answer or q.prompt or q.strong_answer or ""
    blocks = [_Block("", "answer", _md(para))] if (para := first_paragraph(source)) else []
    if q.red_flag:
        red_flag = PARTS_BY_NAME["red_flag"]
        blocks.append(_Block(red_flag.label, red_flag.css_class, _md(q.red_flag)))
    return blocks


def _question_view(q: Question, compact: bool) -> _QuestionView:
    return _QuestionView(
        id=q.id,
        title=_inline(q.title),
        level=q.level.value,
        kind=q.kind.label.lower(),
        blocks=tuple(_compact_blocks(q) if compact else _full_blocks(q)),
        follow_ups=tuple(
            _FollowUp(_md(f.question), None if compact or not f.answer else _md(f.answer))
            for f in q.follow_ups
        ),
    )


def _section_view(library: Library, s: Section, compact: bool) -> _SectionView:
    return _SectionView(
        id=s.id,
        heading=s.heading,
        notes=() if compact else tuple(_md(n) for n in s.notes),
        questions=tuple(_question_view(q, compact) for q in library.in_section(s.id)),
    )


class _UserTemplates(FileSystemLoader):
    """Templates from a user directory: a file that cannot be read is an `ExportError`."""

    def get_source(self, environment: Environment, template: str) -> Any:
        path = os.path.join(self.searchpath[0], *split_template_path(template))
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as exc:
            line = exc.object[: exc.start].count(b"\n") + 1
            raise ExportError(
                f"{path}:{line}: not UTF-8 text (byte {exc.start + 1}); save the template as UTF-8"
            ) from None
        except OSError as exc:
            raise ExportError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _template_frame(exc: BaseException) -> tuple[str, int | None] | None:
    """(template file, line) of the innermost template code an error passed through.

    jinja2 rewrites tracebacks so that template code appears with the template's file name
    and line; Python frames (``.py``) are ours and are skipped.
    """
    found = None
    for frame, line in traceback.walk_tb(exc.__traceback__):
        name = frame.f_code.co_filename
        if not name.endswith(".py") and not name.startswith("<"):
            found = (name, line)
    return found


def _template_error(exc: Exception) -> ExportError | None:
    """The `ExportError` for an error raised by template code; None when it is not one."""
    where: tuple[str, int | None] | None
    if isinstance(exc, TemplateSyntaxError):
        where = (exc.filename or exc.name or TEMPLATE, exc.lineno)
    else:
        where = _template_frame(exc)
        if where is None and not isinstance(exc, TemplateError):
            return None
    name, line = where or (TEMPLATE, None)
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    first = message.splitlines()[0] if message else type(exc).__name__
    return ExportError(f"{name}{f':{line}' if line else ''}: template error: {first}")


def _environment(templates: Path | None = None) -> Environment:
    packaged = PackageLoader("dockerqa.exporters", "templates")
    loader: BaseLoader = packaged
    if templates is not None:
        if not templates.is_dir():
            raise ExportError(f"{templates}: templates directory does not exist")
        loader = ChoiceLoader([_UserTemplates(templates), packaged])
    return Environment(
        loader=loader,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


class HTMLExporter(Exporter):
    """A printable cheat sheet in one self-contained HTML file."""

    name = "html"
    description = "a printable, self-contained HTML cheat sheet (--compact: two-column revision)"
    default_filename = "{key}-cheatsheet.html"
    options = (
        Option(
            "compact",
            "Revision-sized sheet in two columns: title, first answer paragraph, red flag, "
            "follow-up questions.",
            type=bool,
            default=False,
        ),
        Option(
            "templates",
            "Directory whose templates (cheatsheet.html.j2) override the packaged ones.",
            metavar="DIR",
        ),
    )

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.compact: bool = self.settings["compact"]
        templates = self.settings["templates"]
        self.templates = Path(templates) if templates is not None else None

    def filename(self, key: str = "dockerqa") -> str:
        """``KEY-cheatsheet-compact.html`` for the compact sheet."""
        name = "{key}-cheatsheet-compact.html" if self.compact else self.default_filename
        return file_name(name, key)

    def render(self, library: Library) -> str:
        """The page's HTML text."""
        return "".join(self._pieces(library))

    def stream(self, library: Library, context: ExportContext) -> Iterator[bytes]:
        """The page as UTF-8, in pieces as the template renders them."""
        return encoded(self._pieces(library))

    def build(self, library: Library, context: ExportContext) -> bytes:
        """The page as UTF-8."""
        return b"".join(self.stream(library, context))

    def _pieces(self, library: Library) -> Iterator[str]:
        try:
            yield from self._render(library)
        except Exception as exc:  # an error in template code names the template and line
            error = _template_error(exc)
            if error is None:
                raise  # not from a template: a bug, with its traceback
            raise error from None

    def _render(self, library: Library) -> Iterator[str]:
        template = _environment(self.templates).get_template(TEMPLATE)
        intro = (
            ()
            if self.compact
            else tuple(_md(n) for n in library.notes if not n.lstrip().startswith("#"))
        )
        url = library.metadata.source_url
        return template.generate(
            title=library.metadata.title,
            source_url=url,
            source_is_web=bool(url and url.lower().startswith(("https://", "http://"))),
            question_count=len(library),
            compact=self.compact,
            follow_ups_label=PARTS_BY_NAME["follow_ups"].label,
            css=Markup(BASE_CSS + "\n" + pygments_css()),  # the renderer's own CSS
            intro=intro,
            sections=tuple(_section_view(library, s, self.compact) for s in library.sections),
        )
