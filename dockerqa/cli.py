"""The ``dockerqa`` command: a thin click layer over the Python API.

Every `DockerQAError` becomes one line on stderr and exit status 1; click usage errors exit 2;
Ctrl-C prints one line and exits 130; a closed pipe ends the command quietly. Nothing heavy
(pydantic, markdown-it, the exporters) is imported before a command needs it.
"""

from __future__ import annotations

import errno
import gc
import io
import os
import signal
import sys
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from dockerqa import __version__
from dockerqa._files import reason
from dockerqa._text import counted
from dockerqa.errors import DockerQAError

if TYPE_CHECKING:
    from dockerqa.exporting import Exporter, Option

F = TypeVar("F", bound=Callable[..., Any])

# kept here as data so that --help needs no import of the model
LEVELS = ("basic", "intermediate", "advanced")
KINDS = ("question", "scenario", "work_sample", "comparison")


def _fail(exc: DockerQAError) -> NoReturn:
    """An error dockerqa raised on purpose: one line on stderr, status 1."""
    click.echo(f"dockerqa: error: {exc}", err=True)
    sys.exit(1)


def _nice_errors(func: F) -> F:
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DockerQAError as exc:
            _fail(exc)

    return wrapper  # type: ignore[return-value]


def _examples(*lines: str) -> str:
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


#: ``--source``, which every command that reads a page takes.
class _Path(click.Path):
    """click's Path, refusing an empty value (an unset shell variable), which would otherwise
    name the current directory."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value:
            self.fail("an empty path names no file", param, ctx)
        return super().convert(value, param, ctx)


class _KindChoice(click.Choice):  # type: ignore[type-arg]
    """A kind as `KINDS` spells it, or with hyphens as tags and headings do (``work-sample``),
    in any case."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and value.replace("-", "_").lower() in self.choices:
            value = value.replace("-", "_").lower()
        return super().convert(value, param, ctx)


SOURCE_OPTION: dict[str, Any] = {
    "type": _Path(readable=False, path_type=str),
    "help": "Interview page to read (default: the bundled Docker corpus).",
}


def _source_option(func: F) -> F:
    return click.option("--source", **SOURCE_OPTION)(func)


#: The filters every listing and exporting command takes: (flag, click settings).
FILTER_OPTIONS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("--level", {"type": click.Choice(LEVELS), "help": "Only this level."}),
    ("--min-level", {"type": click.Choice(LEVELS), "help": "Only this level and above."}),
    ("--section", {"multiple": True, "help": "Only this section id (repeatable)."}),
    (
        "--kind",
        {
            "type": _KindChoice(KINDS),
            "multiple": True,
            "help": "Only this kind (repeatable); work-sample works as well as work_sample.",
        },
    ),
    (
        "--tag",
        {
            "multiple": True,
            "help": "Only questions with this topic tag, any case, or a card tag as Anki shows "
            "it (dockerqa::level::advanced); repeatable.",
        },
    ),
)


def _filter_params() -> list[click.Option]:
    return [click.Option([flag], **settings) for flag, settings in FILTER_OPTIONS]


def _filter_options(func: F) -> F:
    for flag, settings in reversed(FILTER_OPTIONS):  # decorators apply bottom-up
        func = click.option(flag, **settings)(func)
    return func


def _filters(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The filter options' values (taken out of ``kwargs``) as `Library.filter` keywords."""
    out: dict[str, Any] = {}
    for flag, settings in FILTER_OPTIONS:
        name = flag.removeprefix("--").replace("-", "_")
        value = kwargs.pop(name, None)
        out[name] = (list(value or ()) or None) if settings.get("multiple") else value
    return out


def _settled() -> None:
    """A command's imports are done: garbage collection (off since `run` began) resumes, and
    leaves alone the objects the imports made (none of them garbage). Collecting them again
    and again while importing cost every run ~20 ms."""
    gc.freeze()
    gc.enable()


def _progress(message: str) -> None:
    if sys.stderr.isatty():
        click.echo(f"dockerqa: {message}…", err=True)


# --- export: one subcommand per registered exporter, options from its declaration ------------


def _exporter_options(cls: type[Exporter]) -> list[click.Option]:
    return [_click_option(option) for option in cls.options]


def _click_option(option: Option) -> click.Option:
    if option.type is bool:
        return click.Option(
            [option.flag, option.name], is_flag=True, default=None, help=option.help
        )
    shown = f" ({', '.join(option.choices)})" if option.choices else ""
    default = option.default
    if option.multiple and default:
        default = ",".join(default)
    return click.Option(
        [option.flag, option.name],
        default=None,
        metavar=option.metavar or ("LIST" if option.multiple else "VALUE"),
        help=f"{option.help}{shown}" + (f" Default: {default}." if default is not None else ""),
    )


def _common_export_options(all_formats: bool) -> list[click.Option]:
    out_help = (
        "Output directory (default: dist/)."
        if all_formats
        else "Output file, an existing directory (DIR/), or '-' for standard output "
        "(default: dist/<name>)."
    )
    params = [
        click.Option(["--source"], **SOURCE_OPTION),
        click.Option(["--out"], type=_Path(path_type=str), help=out_help),
        click.Option(
            ["--locked"],
            is_flag=True,
            help="Fail instead of updating the lock file when it is out of date (for CI).",
        ),
        click.Option(
            ["--quiet"],
            is_flag=True,
            help="Print what the lock refresh decided only as a summary, not per question.",
        ),
    ]
    if not all_formats:
        params.append(
            click.Option(
                ["-o", "--option", "raw_options"],
                multiple=True,
                metavar="KEY=VALUE",
                help="An exporter option by name (repeatable), e.g. -o NAME=VALUE.",
            )
        )
    return params


def _run_export(format: str, kwargs: dict[str, Any]) -> None:
    from dockerqa.pipeline import export

    _settled()
    filters = _filters(kwargs)
    source = kwargs.pop("source", None)
    out = kwargs.pop("out", None)
    locked = kwargs.pop("locked", False)
    quiet = kwargs.pop("quiet", False)
    options = {k: v for k, v in kwargs.items() if v is not None and k != "raw_options"}
    for raw in kwargs.get("raw_options") or ():
        key, sep, value = raw.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{raw!r} is not KEY=VALUE", param_hint="-o")
        options.setdefault(key.strip().replace("-", "_"), value)
    to_stdout = out == "-"  # then the data alone goes to stdout, messages to stderr
    export(
        source,
        format,
        out,
        locked=locked,
        filters=filters,
        report=lambda line: click.echo(line, err=to_stdout),
        progress=_progress,
        explain=None if quiet else lambda line: click.echo(f"  {line}", err=to_stdout),
        **options,
    )


def _option_example(name: str, options: tuple[Option, ...]) -> list[str]:
    """One example using the exporter's first option, with a value that works."""
    if not options:
        return []
    first = options[0]
    if first.type is bool:
        return [f"dockerqa export {name} {first.flag}"]
    if first.choices:
        return [f"dockerqa export {name} {first.flag} {first.choices[0]}"]
    return []


def _export_command(name: str) -> click.Command:
    if name == "all":
        params = _common_export_options(True)
        help_text = "Export every registered format into dist/ (or --out DIR)."
        epilog = _examples("dockerqa export all", "dockerqa export all --locked --out build/")
    else:
        from dockerqa.exporting import file_name, get_exporter

        try:
            cls = get_exporter(name)
        except DockerQAError as exc:
            return _broken_command(name, exc)
        params = _common_export_options(False) + _exporter_options(cls)
        help_text = f"Export {cls.description}."
        epilog = _examples(
            f"dockerqa export {name}",
            f"dockerqa export {name} --min-level advanced "
            f"--out advanced-{file_name(cls.default_filename, 'dockerqa')}",
            *_option_example(name, cls.options),
        )

    @_nice_errors
    def callback(**kwargs: Any) -> None:
        _run_export(name, kwargs)

    return click.Command(
        name, callback=callback, params=[*params, *_filter_params()], help=help_text, epilog=epilog
    )


def _broken_command(name: str, error: DockerQAError) -> click.Command:
    """A plugin that cannot be loaded: listed in help, failing only when chosen."""

    @_nice_errors
    def callback(**kwargs: Any) -> None:
        raise error

    return click.Command(
        name,
        callback=callback,
        params=[click.Argument(["args"], nargs=-1)],
        context_settings={"ignore_unknown_options": True},
        help=f"(cannot be loaded: {error})",
    )


def _registered() -> dict[str, str]:
    """The registered exporters; a broken registry (one name declared twice) is one line."""
    from dockerqa.exporting import available_exporters

    try:
        return available_exporters()
    except DockerQAError as exc:
        _fail(exc)


class _ExportGroup(click.Group):
    """``dockerqa export NAME``: subcommands come from the registered exporters, loaded lazily."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*sorted(_registered()), "all"]

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List the exporters from their entry points, without importing any of them."""
        rows = [(name, f"from {target}") for name, target in _registered().items()]
        rows.append(("all", "every exporter above, into one directory"))
        with formatter.section("Formats (see `dockerqa export NAME --help` for options)"):
            formatter.write_dl(rows)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        names = _registered()
        if name != "all" and name not in names:
            raise click.UsageError(
                f"unknown exporter {name!r} (available: {', '.join([*sorted(names), 'all'])})"
            )
        return _export_command(name)


# --- the command ------------------------------------------------------------------------------


@click.group(
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=_examples(
        "dockerqa export anki",
        "dockerqa list --tag security",
        "dockerqa show fundamentals/vm-vs-container",
    ),
)
@click.version_option(__version__, prog_name="dockerqa")
def main() -> None:
    """Docker interview questions as a typed library: study them as an Anki deck, CSV,
    JSON or a printable cheat sheet."""


@main.command(
    "list",
    epilog=_examples("dockerqa list --min-level intermediate", "dockerqa list --tag security"),
)
@_source_option
@_filter_options
@_nice_errors
def list_(source: str | None, **kwargs: Any) -> None:
    """List questions: id, level, kind and title."""
    from dockerqa.pipeline import apply_filters, read_library

    _settled()

    library = apply_filters(read_library(source), _filters(kwargs))
    width = max(cell_len(q.id) for q in library)
    for q in library:
        click.echo(f"{_pad(q.id, width)}  {q.level.value:<12}  {q.kind.value:<11}  {q.title}")


@main.command(
    epilog=_examples(
        "dockerqa show fundamentals/vm-vs-container",
        "dockerqa show fundamentals/vm-vs-container --json",
    )
)
@click.argument("question_id")
@_source_option
@click.option("--json", "as_json", is_flag=True, help="Print the question as JSON.")
@_nice_errors
def show(question_id: str, source: str | None, as_json: bool) -> None:
    """Show one question with all its parts."""
    from dockerqa.pipeline import find_question, read_library

    _settled()

    q = find_question(read_library(source), question_id, source)
    click.echo(q.model_dump_json(indent=2) if as_json else q.to_markdown())


@main.command(epilog=_examples("dockerqa stats", "dockerqa stats --source k8s.mdx"))
@_source_option
@_nice_errors
def stats(source: str | None) -> None:
    """Counts by section, level and kind, and how many parts the questions have."""
    from dockerqa.pipeline import read_library

    _settled()

    library = read_library(source)
    counts = library.counts()
    click.echo(
        f"{counted(counts.questions, 'question')} in {counted(len(counts.by_section), 'section')}"
    )
    click.echo("\nby section:")
    width = max([19, *(cell_len(s.id) for s in library.sections)])
    for s in library.sections:
        click.echo(f"  {counts.by_section[s.id]:>3}  {_pad(s.id, width)}  {s.heading}")
    for title, table in (("level", counts.by_level), ("kind", counts.by_kind)):
        click.echo(f"\nby {title}:")
        for key, n in table.items():
            click.echo(f"  {n:>3}  {key}")
    click.echo("\nparts:")
    for label, n in counts.parts.items():
        click.echo(f"  {n:>3}  {label}")


@main.command(epilog=_examples("dockerqa tags", "dockerqa list --tag dockerqa::topic::security"))
@_source_option
@_nice_errors
def tags(source: str | None) -> None:
    """Card tags (topic, level, section, kind) with how many questions carry each."""
    from dockerqa.pipeline import read_library

    _settled()

    for tag, n in read_library(source).tag_counts().items():
        click.echo(f"{n:>4}  {tag}")


@main.command(epilog=_examples("dockerqa validate", "dockerqa validate my-page.mdx --strict"))
@click.argument("path", required=False, type=_Path(readable=False, path_type=str))
@click.option("--strict", is_flag=True, help="Exit with status 1 when any problem is reported.")
@_nice_errors
def validate(path: str | None, strict: bool) -> None:
    """Check a page (default: the bundled corpus) and report problems as file:line."""
    from dockerqa._load import load

    _settled()

    library = load(path)
    for d in library.diagnostics:
        click.echo(str(d))
    n = len(library.diagnostics)
    click.echo(f"{counted(len(library), 'question')}, {counted(n, 'problem')}", err=True)
    if strict and n:
        sys.exit(1)


@main.group(
    cls=_ExportGroup,
    epilog=_examples(
        "dockerqa export anki",
        "dockerqa export anki --level advanced --out advanced.apkg",
        "dockerqa export json --out -",
        "dockerqa export all --locked",
    ),
)
def export() -> None:
    """Export the library as one format (see `dockerqa exporters`), or `all` into dist/.

    Each format's own options are listed by `dockerqa export FORMAT --help`.
    """


@main.command(
    epilog=_examples(
        "dockerqa lock",
        "dockerqa lock --check --source k8s.mdx",
        "dockerqa lock --rename basics/ports=basics/exposing-ports --source k8s.mdx",
    )
)
@_source_option
@click.option("--check", is_flag=True, help="Only check; exit 1 if the lock is out of date.")
@click.option(
    "--rename",
    "renames",
    multiple=True,
    metavar="OLD=NEW",
    help="The question the page now calls NEW keeps OLD's identity (OLD may be retired); "
    "repeatable. Recorded in the lock.",
)
@click.option(
    "--new",
    "news",
    multiple=True,
    metavar="NEW",
    help="NEW is a new question: whatever it was matched with is retired; repeatable. "
    "Recorded in the lock.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary, not each decision.")
@_nice_errors
def lock(
    source: str | None, check: bool, renames: tuple[str, ...], news: tuple[str, ...], quiet: bool
) -> None:
    """Refresh the lock file that keeps question identity and change times.

    Prints one line per identity decision (each rename and the signals behind it, each new,
    retired or returning question), then a summary.
    """
    from dockerqa.pipeline import refresh_lock

    rename: dict[str, str] = {}
    for raw in renames:
        old, sep, new = raw.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise click.BadParameter(f"{raw!r} is not OLD=NEW", param_hint="--rename")
        earlier = rename.setdefault(new.strip(), old.strip())
        if earlier != old.strip():
            raise click.BadParameter(
                f"{new.strip()!r} is given two identities ({earlier}, {old.strip()}): decide "
                "one thing per question",
                param_hint="--rename",
            )
    _settled()

    result = refresh_lock(source, locked=check, rename=rename, new=[n.strip() for n in news])
    if not quiet:
        for line in result.decisions():
            click.echo(line)
    click.echo(f"lock {'written' if result.changes.written else 'up to date'}: {result.summary()}")


@main.command(
    epilog=_examples(
        "dockerqa drill",
        "dockerqa drill --new 3 --min-level intermediate",
        "dockerqa drill --section security-ecosystem --limit 10",
        "dockerqa drill --time 90",
        "dockerqa drill --stats",
    )
)
@_source_option
@click.option(
    "--new",
    "new",
    type=click.IntRange(min=0),
    default=5,
    show_default=True,
    help="New questions to add after the due ones.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    help="Ask at most this many questions (cards asked again in the session not counted).",
)
@click.option(
    "--time",
    "seconds",
    type=click.IntRange(min=1),
    metavar="SECONDS",
    help="Time allowed for each answer: shows the time left and when it is up, notes overtime.",
)
@click.option(
    "--by-level", is_flag=True, help="Take new questions easiest first, not in source order."
)
@click.option(
    "--stats",
    "show_stats",
    is_flag=True,
    help="Show due, new, reviews, retention and the week ahead, then stop.",
)
@click.option(
    "--store",
    type=_Path(readable=False, path_type=str),
    help="Review store file (default: $DOCKERQA_DRILL_STORE, else "
    "$XDG_DATA_HOME/dockerqa/drill.sqlite3).",
)
@click.option(
    "--now",
    metavar="ISO-DATETIME",
    help="Act as if it were this time, e.g. 2026-03-01T09:00:00Z (for testing).",
)
@_filter_options
@_nice_errors
def drill(
    source: str | None,
    new: int,
    limit: int | None,
    seconds: int | None,
    by_level: bool,
    show_stats: bool,
    store: str | None,
    now: str | None,
    **kwargs: Any,
) -> None:
    """A mock interview: due questions, then new ones, each followed down its follow-up chain.

    Type an answer (end it with an empty line) or press Enter to answer in your head. A typed
    answer is checked against the key points of a strong one, and a rating is suggested
    (Enter takes it). Rate yourself 1-4 (Again, Hard, Good, Easy), m shows more, q or Ctrl-D
    quits; on a terminal these are single keys, but at an answer prompt, where letters are
    your answer, q quits with Enter (Ctrl-D at once). FSRS schedules each question and
    follow-up from your ratings; what you rate Again or Hard comes back within the session.
    """
    from dockerqa._interview import Ending, Screen, interview
    from dockerqa._interview import show_stats as print_stats
    from dockerqa.drill import Drill, parse_time
    from dockerqa.errors import DrillError

    _settled()

    moment = parse_time(now) if now is not None else None
    session = Drill.open(
        source,
        store,
        filters=_filters(kwargs),
        now=moment,
        create=not show_stats,
        report=lambda line: click.echo(line, err=True),  # standard output is the interview's
        explain=lambda line: click.echo(f"  {line}", err=True),
    )
    screen = Screen(sys.stdin, sys.stdout)
    told: set[str] = set()

    def warn() -> None:  # damaged rows, each once
        for line in session.store.problems:
            if line not in told:
                told.add(line)
                click.echo(f"dockerqa: warning: {line}", err=True)

    with session.store:
        if show_stats:
            stats = session.stats()
            warn()
            print_stats(stats, screen)
            return
        if session.store.read_only:
            raise DrillError(
                f"{session.store.path}: read-only, so ratings cannot be saved (--stats can read it)"
            )
        turns = session.plan(new, limit, by_level=by_level)
        warn()
        if not turns:
            more = "--new 0 asks for no new question" if new == 0 else "no new question is left"
            click.echo(f"Nothing is due, and {more}.")
            return
        try:
            outcome = interview(session, turns, screen, limit=seconds)
        finally:
            warn()
    saved = f"{counted(outcome.ratings, 'rating')} saved"
    if outcome.ending is Ending.EOF:
        click.echo(f"dockerqa: end of input; {saved}", err=True)
    else:
        click.echo(f"\nSession {'over' if outcome.ending is Ending.DONE else 'stopped'}: {saved}.")


@main.command(epilog=_examples("dockerqa exporters", "dockerqa exporters -v"))
@click.option("-v", "--verbose", is_flag=True, help="Import each exporter to show its description.")
@_nice_errors
def exporters(verbose: bool) -> None:
    """List the registered exporters (built-in and installed plugins)."""
    import warnings

    from dockerqa.exporting import available_exporters, describe_exporters

    caught: list[warnings.WarningMessage] = []
    if verbose:
        with warnings.catch_warnings(record=True) as recorded:
            warnings.simplefilter("always")
            listed = describe_exporters()
        caught = list(recorded or [])
    else:
        listed = available_exporters()
    width = max([8, *(len(name) for name in listed)])
    for name, text in listed.items():
        click.echo(f"{name:<{width}} {text}")
    for w in caught:
        click.echo(f"dockerqa: warning: {w.message}", err=True)


@main.command(epilog=_examples("dockerqa schema > library.schema.json"))
def schema() -> None:
    """Print the JSON Schema of the JSON export."""
    import json

    from dockerqa.model import library_schema

    click.echo(json.dumps(library_schema(), indent=2, ensure_ascii=False))


def cell_len(text: str) -> int:
    """The columns ``text`` takes on a terminal (a Chinese character or an emoji takes two)."""
    from rich.cells import cell_len

    return cell_len(text)


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` columns as a terminal shows them."""
    return text + " " * (width - cell_len(text))


class _Interrupted(BaseException):
    """Ctrl-C, raised past click (which would print an empty line for KeyboardInterrupt)."""


def _interrupt(signum: int, frame: object) -> None:
    raise _Interrupted


def run() -> None:
    """The console entry point: `main` with Unix manners for pipes, full disks and Ctrl-C.

    A closed pipe ends the command silently (status 1, as click and Python advise); a failed
    write to stdout is one line; Ctrl-C is one line and status 130. Files being written are
    removed, never left half-written.
    """
    signal.signal(signal.SIGINT, _interrupt)
    if sys.stdout is None:  # started with standard output closed (`dockerqa list >&-`)
        sys.stdout = io.TextIOWrapper(_ClosedOutput(), write_through=True)
    gc.disable()  # until the command's imports are done (`_settled`)
    try:
        main.main(prog_name="dockerqa", standalone_mode=False)
    except click.exceptions.Exit as exc:
        _flush_or_exit()
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (click.Abort, _Interrupted, KeyboardInterrupt):
        click.echo("dockerqa: interrupted", err=True)
        sys.exit(130)
    except OSError as exc:
        _output_failed(exc)
    _flush_or_exit()


def _flush_or_exit() -> None:
    try:
        sys.stdout.flush()
    except OSError as exc:
        _output_failed(exc)


def _output_failed(exc: OSError) -> NoReturn:
    """Standard output can't be written: a closed pipe ends quietly, anything else is one line;
    status 1 either way."""
    if not isinstance(exc, BrokenPipeError) and exc.errno != errno.EPIPE:
        click.echo(f"dockerqa: error: standard output: cannot write: {reason(exc)}", err=True)
    _quiet_stdout()
    sys.exit(1)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    if devnull != 1:  # it is 1 when standard output was closed
        os.dup2(devnull, 1)
        os.close(devnull)
    sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115 (the interpreter closes it)


class _ClosedOutput(io.RawIOBase):
    """Standard output when the command was started without one: every write fails as a
    write to a closed descriptor does, so a command that prints says so in one line."""

    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))


if __name__ == "__main__":  # pragma: no cover
    run()
