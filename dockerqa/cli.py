"""The ``dockerqa`` command: a thin click layer over the Python API.

Every `DockerQAError` becomes one line on stderr and exit status 1; click usage errors exit 2.
"""

from __future__ import annotations

import json
import sys
import warnings
from collections import Counter
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from dockerqa import __version__
from dockerqa._load import load
from dockerqa.errors import DockerQAError
from dockerqa.exporting import available_exporters, describe_exporters
from dockerqa.model import Kind, Level, Question, library_schema
from dockerqa.pipeline import apply_filters, export_source, refresh_lock

F = TypeVar("F", bound=Callable[..., Any])

LEVELS = [lv.value for lv in Level]
KINDS = [k.value for k in Kind]
CARD_TYPES = ("main", "follow-ups", "red-flags")


def _fail(message: str) -> None:
    click.echo(f"dockerqa: error: {message}", err=True)
    sys.exit(1)


def _nice_errors(func: F) -> F:
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DockerQAError as exc:
            _fail(str(exc))
        except KeyError as exc:  # Library.get / Library.section
            _fail(str(exc.args[0]) if exc.args else "not found")

    return wrapper  # type: ignore[return-value]


def _source_option(func: F) -> F:
    return click.option(
        "--source",
        type=click.Path(dir_okay=False, path_type=str),
        help="Interview page to read (default: the bundled Docker corpus).",
    )(func)


def _filter_options(func: F) -> F:
    options = [
        click.option(
            "--tag", multiple=True, help="Only questions with this topic tag (repeatable)."
        ),
        click.option(
            "--kind", type=click.Choice(KINDS), multiple=True, help="Only this kind (repeatable)."
        ),
        click.option("--section", multiple=True, help="Only this section id (repeatable)."),
        click.option("--min-level", type=click.Choice(LEVELS), help="Only this level and above."),
        click.option("--level", type=click.Choice(LEVELS), help="Only this level."),
    ]
    for option in options:
        func = option(func)
    return func


def _filters(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {
        "level": kwargs.pop("level", None),
        "min_level": kwargs.pop("min_level", None),
        "section": list(kwargs.pop("section", ())) or None,
        "kind": list(kwargs.pop("kind", ())) or None,
        "tag": list(kwargs.pop("tag", ())) or None,
    }


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dockerqa")
def main() -> None:
    """Docker interview questions as a typed library: study them as an Anki deck, CSV,
    JSON or a printable cheat sheet."""


@main.command("list")
@_source_option
@_filter_options
@_nice_errors
def list_(source: str | None, **kwargs: Any) -> None:
    """List questions: id, level, kind and title."""
    library = apply_filters(load(source), _filters(kwargs))
    width = max(len(q.id) for q in library)
    for q in library:
        click.echo(f"{q.id:<{width}}  {q.level.value:<12}  {q.kind.value:<11}  {q.title}")


def _question_markdown(q: Question) -> str:
    out = [f"# {q.heading}", "", f"id: {q.id} · level: {q.level.value} · kind: {q.kind.value}"]
    out.append(f"source: {q.source}")
    labels = {
        "prompt": "Prompt",
        "steps": "Steps",
        "answer": "Answer",
        "interviewer_intent": "What interviewers are really testing",
        "red_flag": "Red flag answer",
        "weak_answer": "What weak candidates say",
        "strong_answer": "What strong candidates say",
        "senior_view": "Senior view",
        "staff_view": "Staff view",
    }
    for name, label in labels.items():
        value = getattr(q, name)
        if value:
            out += ["", f"## {label}", "", value]
    if q.follow_ups:
        out += ["", "## Follow-up chain", ""]
        for i, f in enumerate(q.follow_ups, 1):
            out.append(f"{i}. {f.question}" + (f"\n   → {f.answer}" if f.answer else ""))
    for part in q.parts:
        out += ["", f"## {part.label}", "", part.text]
    return "\n".join(out)


@main.command()
@click.argument("question_id")
@_source_option
@click.option("--json", "as_json", is_flag=True, help="Print the question as JSON.")
@_nice_errors
def show(question_id: str, source: str | None, as_json: bool) -> None:
    """Show one question with all its parts."""
    q = load(source).get(question_id)
    if as_json:
        click.echo(json.dumps(q.model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        click.echo(_question_markdown(q))


@main.command()
@_source_option
@_nice_errors
def stats(source: str | None) -> None:
    """Counts by section, level and kind, and how many parts the questions have."""
    library = load(source)
    click.echo(f"{len(library)} questions in {len(library.sections)} sections")
    click.echo("\nby section:")
    for s in library.sections:
        click.echo(f"  {len(library.in_section(s.id)):>3}  {s.id:<20} {s.heading}")
    for title, counts in (
        ("level", Counter(q.level.value for q in library)),
        ("kind", Counter(q.kind.value for q in library)),
    ):
        click.echo(f"\nby {title}:")
        for key, n in counts.items():
            click.echo(f"  {n:>3}  {key}")
    fus = [f for q in library for f in q.follow_ups]
    click.echo("\nparts:")
    for label, n in (
        ("with an answer", sum(1 for q in library if q.answer)),
        ("with interviewer intent", sum(1 for q in library if q.interviewer_intent)),
        ("with a red flag", sum(1 for q in library if q.red_flag)),
        ("follow-ups", len(fus)),
        ("follow-ups with an answer", sum(1 for f in fus if f.answer)),
        ("weak answers", sum(1 for q in library if q.weak_answer)),
        ("strong answers", sum(1 for q in library if q.strong_answer)),
        ("senior/staff notes", sum(1 for q in library if q.senior_view or q.staff_view)),
    ):
        click.echo(f"  {n:>3}  {label}")


@main.command()
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=str))
@click.option("--strict", is_flag=True, help="Exit with status 1 when any problem is reported.")
@_nice_errors
def validate(path: str | None, strict: bool) -> None:
    """Check a page (default: the bundled corpus) and report problems as file:line."""
    library = load(path)
    for d in library.diagnostics:
        click.echo(str(d))
    n = len(library.diagnostics)
    click.echo(f"{len(library)} questions, {n} problem{'s' if n != 1 else ''}", err=True)
    if strict and n:
        sys.exit(1)


@main.command()
@click.argument("format", metavar="FORMAT")
@_source_option
@click.option(
    "--out",
    type=click.Path(path_type=str),
    help="Output file (a directory for 'all'); default: dist/<default name>.",
)
@click.option(
    "--locked",
    is_flag=True,
    help="Fail instead of updating the lock file when it is out of date (for CI).",
)
@click.option(
    "--cards",
    help=f"anki: card types to build, comma-separated ({', '.join(CARD_TYPES)}; default all).",
)
@click.option(
    "--plain", is_flag=True, help="csv: Markdown with a header row, no Anki header lines."
)
@click.option("--compact", is_flag=True, help="html: revision-sized cheat sheet in two columns.")
@click.option(
    "--templates",
    type=click.Path(file_okay=False, path_type=str),
    help="html: directory whose templates override the packaged ones (cheatsheet.html.j2).",
)
@_filter_options
@_nice_errors
def export(
    format: str,
    source: str | None,
    out: str | None,
    locked: bool,
    cards: str | None,
    plain: bool,
    compact: bool,
    templates: str | None,
    **kwargs: Any,
) -> None:
    """Export the library as FORMAT (see `dockerqa exporters`), or `all` formats into dist/."""
    options: dict[str, Any] = {}
    if cards is not None:
        chosen = tuple(c.strip() for c in cards.split(",") if c.strip())
        bad = [c for c in chosen if c not in CARD_TYPES]
        if bad or not chosen:
            raise click.BadParameter(
                f"{', '.join(bad) or 'nothing'} (choose from {', '.join(CARD_TYPES)})",
                param_hint="--cards",
            )
        options["cards"] = chosen
    if plain:
        options["plain"] = True
    if compact:
        options["compact"] = True
    if templates is not None:
        options["templates"] = templates
    written = export_source(
        format,
        source=source,
        out=out,
        locked=locked,
        filters=_filters(kwargs),
        options=options,
        report=click.echo,
    )
    for path in written:
        click.echo(f"wrote {path}")


@main.command()
@_source_option
@click.option("--check", is_flag=True, help="Only check; exit 1 if the lock is out of date.")
@_nice_errors
def lock(source: str | None, check: bool) -> None:
    """Refresh the lock file that keeps question identity and change times."""
    result = refresh_lock(source, locked=check)
    click.echo(
        f"lock up to date: {result.summary()}" if check else f"lock written: {result.summary()}"
    )


@main.command()
@click.option("-v", "--verbose", is_flag=True, help="Import each exporter to show its description.")
@_nice_errors
def exporters(verbose: bool) -> None:
    """List the registered exporters (built-in and installed plugins)."""
    if not verbose:
        for name, target in available_exporters().items():
            click.echo(f"{name:<8} {target}")
        return
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        described = describe_exporters()
    for name, description in described.items():
        click.echo(f"{name:<8} {description}")
    for w in caught:
        click.echo(f"dockerqa: warning: {w.message}", err=True)


@main.command()
def schema() -> None:
    """Print the JSON Schema of the JSON export."""
    click.echo(json.dumps(library_schema(), indent=2, ensure_ascii=False))


if __name__ == "__main__":  # pragma: no cover
    main()
