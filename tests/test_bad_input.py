"""What dockerqa promises on bad input and special outputs, in one place.

`CASES` is the catalogue: each row runs the real ``dockerqa`` command in a fresh directory that
holds a copy of a small page (``page.mdx``, its ``page.toml`` and an up-to-date ``page.lock``;
the bundled corpus is never exported in place). A row says what to break first, the arguments,
the exit status, the first line on stderr (a regex; ``None`` for no output at all), and which
files must be left exactly as they were (bytes, mode, link target, device numbers) or must not
appear. Rows that make device nodes (``os.mknod``) need root and are skipped without it.

The promise behind every row: one line on stderr naming the file (and line where there is one)
and the fix or the valid choices, exit status 1 (2 for a command-line usage error, as click
reports them), no traceback, no half-written or replaced file. A damaged row of a drill store
is a warning instead: one line naming the store and the card, status 0, the rest read.

The second half pushes hostile pages through all four exporters and checks the results in real
engines: headless Chromium for the cheat sheet, the ``anki`` package for the deck, Python's
``csv`` for the plain CSV and pydantic for the JSON.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageOptions
from engines import Tab, live_html
from test_meta import BAD_METADATA

import dockerqa
from conftest import FIXTURES, run_cli
from dockerqa.pipeline import refresh

SMALL = FIXTURES / "exporters" / "small.mdx"
T0 = 1_700_000_000
DRILL_T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
#: First characters a spreadsheet reads as a formula (OWASP CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: (major, minor) of the kernel's null and full devices, for private copies made with mknod.
NULL, FULL, ZERO = (1, 3), (1, 7), (1, 5)
#: How a damaged lock's message ends for the catalogue's page, whose page.toml names no key.
REBUILD = (
    r"restore it from version control, or delete it and run `dockerqa lock --source page\.mdx` "
    r"to rebuild it \(page\.toml names no key, so a rebuilt lock may mint a new one: new "
    r"notes, reviews left behind\)$"
)


# --- what a row may prepare ----------------------------------------------------------------------


def write(name: str, data: str | bytes) -> Callable[[Path], None]:
    def setup(d: Path) -> None:
        (d / name).parent.mkdir(parents=True, exist_ok=True)
        (d / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))

    return setup


def symlink(name: str, target: str) -> Callable[[Path], None]:
    return lambda d: (d / name).symlink_to(target)


def device(name: str, numbers: tuple[int, int]) -> Callable[[Path], None]:
    return lambda d: os.mknod(d / name, 0o666 | stat.S_IFCHR, os.makedev(*numbers))


def fifo(name: str) -> Callable[[Path], None]:
    return lambda d: os.mkfifo(d / name)


def directory(name: str) -> Callable[[Path], None]:
    def setup(d: Path) -> None:
        (d / name).unlink(missing_ok=True)
        (d / name).mkdir()

    return setup


def replaced_by(name: str, make: Callable[[str], Callable[[Path], None]]) -> Callable[[Path], None]:
    """``name`` removed, then made again by ``make`` (a FIFO, a device, a link)."""

    def setup(d: Path) -> None:
        (d / name).unlink()
        make(name)(d)

    return setup


def recoded(name: str, change: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def setup(d: Path) -> None:
        (d / name).write_bytes(change((d / name).read_bytes()))

    return setup


def edit(name: str, old: str, new: str) -> Callable[[Path], None]:
    def setup(d: Path) -> None:
        text = (d / name).read_text(encoding="utf-8")
        assert old in text
        (d / name).write_text(text.replace(old, new, 1), encoding="utf-8")

    return setup


def edit_lock(change: Callable[[str], str]) -> Callable[[Path], None]:
    def setup(d: Path) -> None:
        path = d / "page.lock"
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")

    return setup


def remove(name: str) -> Callable[[Path], None]:
    return lambda d: (d / name).unlink()


def _gone_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    proc = subprocess.Popen([sys.executable, "-c", ""])
    proc.wait()
    return proc.pid


def temporary(name: str, pid: Callable[[], int]) -> Callable[[Path], None]:
    """A temporary file as a run killed while writing ``name`` leaves it, an hour old;
    ``name`` may hold ``{pid}``, replaced by the writer's pid."""

    def setup(d: Path) -> None:
        path = d / name.format(pid=pid())
        path.write_bytes(b"half")
        old = time.time() - 3600
        os.utime(path, (old, old))

    return setup


def drill_store(name: str, damage: str = "") -> Callable[[Path], None]:
    """A drill store of the page with its first question rated Good, then ``damage`` (SQL
    run on it, as a damaged disk or a hand edit would leave it)."""

    def setup(d: Path) -> None:
        (d / name).parent.mkdir(parents=True, exist_ok=True)
        with dockerqa.Store(d / name) as store:
            drill = dockerqa.Drill.open(d / "page.mdx", store, now=DRILL_T0)
            drill.rate(drill.plan(new=1)[0].items[0], 3)
        if damage:
            with sqlite3.connect(d / name) as db:
                assert db.execute(damage).rowcount == 1
            db.close()

    return setup


def read_only(name: str) -> Callable[[Path], None]:
    """``name`` and its folder made read-only (immutable for root, who may write anything
    else); `writable` undoes it."""

    def setup(d: Path) -> None:
        (d / name).chmod(0o444)
        (d / name).parent.chmod(0o555)
        if os.access(d / name, os.W_OK):
            chattr = subprocess.run(["chattr", "+i", d / name, (d / name).parent])
            if chattr.returncode:
                writable(name)(d)
                pytest.skip("run as root on a file system without immutable files")

    return setup


def writable(name: str) -> Callable[[Path], None]:
    def undo(d: Path) -> None:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", d / name, (d / name).parent], capture_output=True)
        (d / name).parent.chmod(0o755)
        (d / name).chmod(0o644)

    return undo


#: A third-party exporter that raises where ``BOOM_AT`` says (init, filename, state, stream,
#: build); its stream writes a first piece before failing.
PLUGIN = """
import os
from dockerqa.exporting import Exporter


def _fail(where):
    if os.environ.get("BOOM_AT") == where:
        raise ValueError(f"bad value in {where}\\nsecond line")


class Boom(Exporter):
    name = "zboom"
    description = "a plugin that fails"
    default_filename = "{key}.boom"

    def __init__(self, **options):
        _fail("init")
        super().__init__(**options)

    def filename(self, key="dockerqa"):
        _fail("filename")
        return super().filename(key)

    def next_state(self, previous, now):
        _fail("state")
        return None

    def stream(self, library, context):
        if os.environ.get("BOOM_AT") != "stream":
            yield from super().stream(library, context)
            return
        yield b"first piece"
        _fail("stream")

    def build(self, library, context):
        _fail("build")
        return b"boom"
"""


def plugin(d: Path) -> None:
    """Install `PLUGIN` in ``site/`` the way pip would (a module and its dist-info)."""
    write("site/boom.py", PLUGIN)(d)
    write("site/boom-0.1.dist-info/METADATA", "Metadata-Version: 2.1\nName: boom\nVersion: 0.1\n")(
        d
    )
    write("site/boom-0.1.dist-info/entry_points.txt", "[dockerqa.exporters]\nzboom = boom:Boom\n")(
        d
    )


def boom(where: str) -> dict[str, str]:
    return {"PYTHONPATH": "site", "BOOM_AT": where}


@dataclass(frozen=True)
class Case:
    """One promise: break something, run the command, check the answer and the files."""

    id: str
    args: tuple[str, ...]
    code: int
    first_line: str | None
    """Regex the first stderr line must match (from its start); None: stderr must be empty."""
    unchanged: tuple[str, ...] = ("page.mdx", "page.toml", "page.lock")
    absent: tuple[str, ...] = ()
    present: tuple[str, ...] = ()
    """Regular files that must exist afterwards."""
    output: str | None = None
    """Regex stdout must contain (searched anywhere)."""
    setup: tuple[Callable[[Path], None], ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    root: bool = False
    """Needs root (makes device nodes)."""
    cleanup: tuple[Callable[[Path], None], ...] = ()
    """Run afterwards, whatever happened (undoes what pytest could not remove)."""


EXPORT = ("export", "json", "--source", "page.mdx")
#: An export that refreshes (or, with --locked, checks) the lock.
LOCKED_EXPORT = ("export", "csv", "--source", "page.mdx")
EXPORT_ANKI = ("export", "anki", "--source", "page.mdx")
#: A temporary file of a process that runs (this one), beside the lock.
LIVE_TEMPORARY = f".page.lock.{os.getpid()}-0123456789abcdef.tmp"


def _in_questions(text: str, old: str, new: str) -> str:
    """``text`` with the first ``old`` after the lock's ``"questions"`` key replaced."""
    at = text.index('"questions"')
    return text[:at] + text[at:].replace(old, new, 1)


def _lock_value(key: str, value: object) -> Callable[[str], str]:
    """A change to a lock's text: its top-level ``key`` set to ``value``."""

    def change(text: str) -> str:
        return json.dumps({**json.loads(text), key: value}, indent=2, ensure_ascii=False) + "\n"

    return change


def _snapshot_value(key: str, value: object) -> Callable[[str], str]:
    """A change to a lock's text: ``key`` of the first question's snapshot set to ``value``."""

    def change(text: str) -> str:
        data = json.loads(text)
        data["questions"][0]["snapshot"][key] = value
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    return change


ERR = "dockerqa: error: "
DRILL_STATS = ("drill", "--source", "page.mdx", "--store", "drill.sqlite3", "--stats")


def all_row(reviews: int) -> str:
    """The ``--stats`` row of the whole page, with this many reviews counted."""
    return rf"│ all\s+│\s+\d+ │\s+\d+ │\s+\d+ │\s+{reviews} │"


CASES = [
    # --- the page -------------------------------------------------------------------------------
    # a file that can't be read at all has no line to point to: the file alone is named
    Case("missing-page", ("validate", "missing.mdx"), 1, rf"{ERR}missing\.mdx: no such file$"),
    Case("missing-source", ("list", "--source", "gone.mdx"), 1, rf"{ERR}gone\.mdx: no such file$"),
    Case(
        "page-is-a-dangling-link",
        ("validate", "dangling.mdx"),
        1,
        rf"{ERR}dangling\.mdx: no such file$",
        setup=(symlink("dangling.mdx", "gone.mdx"),),
    ),
    Case(
        "page-is-a-directory",
        ("validate", "pages"),
        1,
        rf"{ERR}pages: is a directory, not a page$",
        setup=(lambda d: (d / "pages").mkdir(),),
    ),
    Case(
        "source-is-a-directory",
        ("export", "json", "--source", ".", "--out", "o.json"),
        1,
        rf"{ERR}\.: is a directory, not a page$",
        absent=("o.json",),
    ),
    *(
        Case(
            f"store-is-a-directory{name}",
            ("drill", "--source", "page.mdx", "--store", "pages", *flags),
            1,
            rf"{ERR}pages: is a directory, not a drill store; give a file name$",
            setup=(lambda d: (d / "pages").mkdir(),),
        )
        for name, flags in (("", ()), ("-stats", ("--stats",)))
    ),
    Case(
        "source-is-the-current-directory-with-a-store",
        ("drill", "--source", ".", "--store", "s.sqlite3"),
        1,
        rf"{ERR}\.: is a directory, not a page$",
        absent=("s.sqlite3",),
    ),
    *(
        Case(
            f"empty-path-{name}",
            args,
            2,
            r"Usage: dockerqa ",
            absent=("dist", "page.json"),
        )
        for name, args in (
            ("source", ("list", "--source", "")),
            ("page", ("validate", "")),
            ("out", (*EXPORT, "--out", "")),
            ("store", ("drill", "--source", "page.mdx", "--store", "", "--stats")),
        )
    ),
    Case(
        "page-is-a-link-loop",
        ("validate", "loop.mdx"),
        1,
        rf"{ERR}loop\.mdx: cannot read: too many levels of symbolic links$",
        setup=(symlink("loop.mdx", "loop.mdx"),),
    ),
    Case(
        "page-is-a-fifo-nothing-writes-to",
        ("validate", "fifo.mdx"),
        1,
        rf"{ERR}fifo\.mdx: cannot read: no process writes to this pipe$",
        setup=(fifo("fifo.mdx"),),
    ),
    Case(
        "page-is-an-endless-device",
        ("list", "--source", "zero.mdx"),
        1,
        rf"{ERR}zero\.mdx: cannot read: larger than 64 MiB$",
        setup=(device("zero.mdx", ZERO),),
        root=True,
    ),
    Case(
        "page-in-utf-16",
        ("validate", "page.mdx"),
        1,
        rf"{ERR}page\.mdx:1:1: not valid UTF-8 \(it is UTF-16\); save it as UTF-8$",
        unchanged=("page.toml", "page.lock"),
        setup=(recoded("page.mdx", lambda b: b.decode().encode("utf-16")),),
    ),
    Case(
        "undecodable-page",
        ("validate", "bad.mdx"),
        1,
        rf"{ERR}bad\.mdx:4:11: not valid UTF-8 \(byte 0xff\)$",
        setup=(write("bad.mdx", (FIXTURES / "invalid" / "undecodable_bytes.mdx").read_bytes()),),
    ),
    Case(
        "empty-page",
        ("export", "json", "--source", "empty.mdx", "--out", "o.json"),
        1,
        rf"{ERR}empty\.mdx:1:1: no questions found \(expected <Accordion title=",
        absent=("o.json", "empty.lock"),
        setup=(write("empty.mdx", b""),),
    ),
    Case(
        "unclosed-accordion",
        ("validate", "bad.mdx"),
        1,
        rf"{ERR}bad\.mdx:6:1: <Accordion> \(line 4\) is not closed before </AccordionGroup>$",
        setup=(write("bad.mdx", (FIXTURES / "invalid" / "unclosed_accordion.mdx").read_bytes()),),
    ),
    Case(
        "show-unknown-id",
        ("show", "nosuch/x", "--source", "page.mdx"),
        1,
        rf"{ERR}page\.mdx: no question with id 'nosuch/x'; "
        r"`dockerqa list --source page\.mdx` lists every id$",
    ),
    Case(
        "show-id-close-to-one",
        ("show", "scenarios/restart-loop", "--source", "page.mdx"),
        1,
        rf"{ERR}page\.mdx: no question with id 'scenarios/restart-loop' \(did you mean: "
        r"scenarios/the-restart-loop\); `dockerqa list --source page\.mdx` lists every id$",
    ),
    Case(
        "title-is-a-string-in-braces",
        ("list", "--source", "page.mdx"),
        0,
        None,
        output=r'  Image vs "Container"\?\n',
        setup=(
            edit(
                "page.mdx", 'title="1. Image vs Container"', r'title={"1. Image vs \"Container\"?"}'
            ),
        ),
    ),
    Case(
        "title-is-a-quoted-string-in-braces",
        ("list", "--source", "page.mdx"),
        0,
        None,
        output=r"  Image's \{Container\}\n",
        setup=(
            edit(
                "page.mdx", 'title="1. Image vs Container"', r"title={ '1. Image\'s {Container}' }"
            ),
        ),
    ),
    Case(
        "title-is-a-template-string-in-braces",
        ("list", "--source", "page.mdx"),
        0,
        None,
        output=r"  Image \u00e9 `Container`\n",
        setup=(
            edit(
                "page.mdx",
                'title="1. Image vs Container"',
                r"title={`1. Image \u00e9 \`Container\``}",
            ),
        ),
    ),
    Case(
        "title-is-an-expression",
        ("validate", "page.mdx"),
        1,
        rf"{ERR}page\.mdx:11:14: <Accordion> title=\{{props\.title\}}: MDX expressions are not "
        r"evaluated; ",
        setup=(edit("page.mdx", 'title="1. Image vs Container"', "title={props.title}"),),
    ),
    Case(
        "title-is-a-template-with-a-substitution",
        ("validate", "page.mdx"),
        1,
        rf"{ERR}page\.mdx:11:14: <Accordion> title=\{{`1\. \$\{{x\}}`\}}: MDX expressions "
        r"are not evaluated; ",
        setup=(edit("page.mdx", 'title="1. Image vs Container"', "title={`1. ${x}`}"),),
    ),
    # --- the metadata file (every message of test_meta.BAD_METADATA is below, through the CLI) --
    Case(
        "bad-toml-writes-nothing",
        (*EXPORT, "--out", "o.json"),
        1,
        rf"{ERR}page\.toml:2: invalid TOML: ",
        absent=("o.json",),
        setup=(write("page.toml", 'title = "T"\nsource_url = "x\n'),),
    ),
    *(
        Case(
            f"metadata-{name}",
            ("list", "--source", "page.mdx"),
            1,
            rf"{ERR}page\.toml: cannot read: {why}$",
            unchanged=("page.mdx", "page.lock"),
            setup=(make,),
        )
        for name, make, why in (
            ("is-a-directory", directory("page.toml"), "is a directory"),
            ("is-a-fifo", replaced_by("page.toml", fifo), "no process writes to this pipe"),
            (
                "is-a-link-loop",
                replaced_by("page.toml", lambda n: symlink(n, n)),
                "too many levels of symbolic links",
            ),
            (
                "is-a-broken-link",
                replaced_by("page.toml", lambda n: symlink(n, "gone.toml")),
                "no such file or directory",
            ),
        )
    ),
    *(
        Case(
            f"metadata-{name}",
            ("list", "--source", "page.mdx"),
            1,
            rf"{ERR}page\.toml:{where}; save it as UTF-8$",
            setup=(recoded("page.toml", change),),
        )
        for name, change, where in (
            (
                "not-utf-8",
                lambda b: b.replace(b"[[sections]]", b"#\xff\n[[sections]]", 1),
                r"4: not valid UTF-8 \(byte 0xff\)",
            ),
            (
                "in-utf-16",
                lambda b: b.decode().encode("utf-16"),
                r"1: not valid UTF-8 \(it is UTF-16\)",
            ),
        )
    ),
    Case(
        "metadata-with-a-byte-order-mark",
        ("list", "--source", "page.mdx"),
        0,
        None,
        setup=(recoded("page.toml", lambda b: b"\xef\xbb\xbf" + b),),
    ),
    Case(
        "metadata-cut-short",
        ("list", "--source", "page.mdx"),
        1,
        rf"{ERR}page\.toml:4: invalid TOML: Expected ']]' at the end of an array declaration",
        setup=(recoded("page.toml", lambda b: b[: b.index(b"[[sections]]") + 5]),),
    ),
    # --- the lock file --------------------------------------------------------------------------
    *(
        Case(
            f"lock-{name}",
            ("lock", "--check", "--source", "page.mdx"),
            1,
            rf"{ERR}page\.lock{where}; {REBUILD}",
            unchanged=("page.mdx", "page.toml"),
            setup=(make,),
            root=root,
        )
        for name, make, where, root in (
            ("is-a-directory", directory("page.lock"), ": cannot read: is a directory", False),
            (
                "is-a-fifo",
                replaced_by("page.lock", fifo),
                ": cannot read: no process writes to this pipe",
                False,
            ),
            (
                "is-an-endless-device",
                replaced_by("page.lock", lambda n: device(n, ZERO)),
                ": cannot read: larger than 64 MiB",
                True,
            ),
            (
                "is-a-link-loop",
                replaced_by("page.lock", lambda n: symlink(n, n)),
                ": cannot read: too many levels of symbolic links",
                False,
            ),
            (
                "not-utf-8",
                recoded("page.lock", lambda b: b.replace(b'"about"', b'"ab\xffout"', 1)),
                r":2: not valid UTF-8 \(byte 0xff\)",
                False,
            ),
            (
                "in-utf-16",
                recoded("page.lock", lambda b: b.decode().encode("utf-16")),
                r":1: not valid UTF-8 \(it is UTF-16\)",
                False,
            ),
        )
    ),
    Case(
        "lock-key-twice",
        ("lock", "--check", "--source", "page.mdx"),
        1,
        rf"{ERR}page\.lock:\d+: key: given twice in one object; {REBUILD}",
        setup=(edit_lock(lambda t: t.replace('{\n  "about"', '{\n  "key": "zz",\n  "about"', 1)),),
    ),
    Case(
        "lock-with-a-byte-order-mark",
        ("lock", "--check", "--source", "page.mdx"),
        0,
        None,
        setup=(recoded("page.lock", lambda b: b"\xef\xbb\xbf" + b),),
    ),
    Case(
        "lock-not-json-of-a-keyed-page",
        ("lock", "--check", "--source", "page.mdx"),
        1,
        rf"{ERR}page\.lock:1: not valid JSON: .*; restore it from version control, or delete it "
        r"and run `dockerqa lock --source page\.mdx` to rebuild it$",
        setup=(write("page.lock", "{"), edit("page.toml", 'title = "', 'key = "small"\ntitle = "')),
    ),
    Case(
        "lock-not-json",
        (*EXPORT, "--out", "o.json"),
        1,
        rf"{ERR}page\.lock:1: not valid JSON: .*; {REBUILD}",
        absent=("o.json",),
        setup=(write("page.lock", "{"),),
    ),
    *(
        Case(
            f"lock-{name}",
            ("lock", "--check", "--source", "page.mdx"),
            1,
            rf"{ERR}page\.lock:{line}: not valid JSON: {message}; {REBUILD}",
            setup=(setup,),
        )
        for name, setup, line, message in (
            (
                "truncated",
                edit_lock(lambda t: t[: t.index('"about": "') + 12]),
                2,
                r"unterminated string starting at column 12",
            ),
            (
                "trailing-comma",
                edit_lock(lambda t: t[: t.rindex("\n}")] + ",\n}\n"),
                r"\d+",
                r"a comma before \} \(column \d+\)",
            ),
            (
                "bad-escape",
                edit_lock(lambda t: t.replace('"about": "', '"about": "\\q', 1)),
                2,
                r"invalid \\escape \(column 13\)",
            ),
            ("extra-data", edit_lock(lambda t: t + "{}\n"), r"\d+", r"extra data \(column 1\)"),
        )
    ),
    Case(
        "lock-too-deep",
        (*EXPORT_ANKI, "--out", "d.apkg"),
        1,
        rf"{ERR}page\.lock:1: nested too deeply to be a lock file; {REBUILD}",
        setup=(write("page.lock", "[" * 100_000 + "]" * 100_000),),
    ),
    Case(
        "lock-snapshot-has-an-id",
        (*EXPORT, "--out", "o.json"),
        1,
        rf"{ERR}page\.lock:\d+: questions\.0\.snapshot: .*'id'.*; {REBUILD}",
        absent=("o.json",),
        setup=(edit_lock(lambda t: t.replace('"snapshot": {', '"snapshot": {"id": "x", ', 1)),),
    ),
    *(
        Case(
            f"lock-snapshot-{name}",
            ("lock", "--check", "--source", "page.mdx"),
            1,
            rf"{ERR}page\.lock:\d+: questions\.0\.snapshot\.{field}: .*; {REBUILD}",
            setup=(edit_lock(change),),
        )
        for name, field, change in (
            ("level-unknown", "level", lambda t: _in_questions(t, '"level": "', '"level": "x')),
            ("kind-unknown", "kind", lambda t: _in_questions(t, '"kind": "', '"kind": "x')),
            ("answer-a-number", "answer", _snapshot_value("answer", 5)),
            ("follow-ups-a-string", "follow_ups", _snapshot_value("follow_ups", "x")),
            (
                "unknown-key",
                "colour",
                lambda t: t.replace('"snapshot": {', '"snapshot": {"colour": "x", ', 1),
            ),
        )
    ),
    Case(
        "lock-content-not-a-fingerprint",
        ("lock", "--check", "--source", "page.mdx"),
        1,
        rf"{ERR}page\.lock:\d+: questions\.0\.content: .*; {REBUILD}",
        setup=(edit_lock(lambda t: _in_questions(t, '"content": "', '"content": "zz')),),
    ),
    Case(
        "lock-key-empty",
        ("lock", "--check", "--source", "page.mdx"),
        1,
        rf"{ERR}page\.lock:\d+: key: .*; {REBUILD}",
        setup=(edit_lock(_lock_value("key", "")),),
    ),
    Case(
        "lock-time-too-large",
        ("export", "anki", "--source", "page.mdx", "--out", "d.apkg"),
        1,
        rf"{ERR}page\.lock:\d+: questions\.\d+\.changed: .*253402300799.*; {REBUILD}",
        absent=("d.apkg",),
        setup=(
            edit_lock(lambda t: _in_questions(t, f'"changed": {T0}', '"changed": 1' + "0" * 17)),
        ),
    ),
    Case(
        "exporter-state-time-too-large",
        ("export", "anki", "--source", "page.mdx", "--out", "d.apkg"),
        1,
        rf"{ERR}page\.lock: exporters\.anki\.fields\.changed: .*253402300799; delete the lock's",
        absent=("d.apkg",),
        setup=(edit_lock(lambda t: t.replace(f'"changed": {T0}', '"changed": 1' + "0" * 17, 1)),),
    ),
    Case(
        "stale-lock-with-locked",
        (*LOCKED_EXPORT, "--locked", "--out", "o.json"),
        1,
        rf"{ERR}page\.lock is out of date: 1 question changed; "
        r"run `dockerqa export csv --source page\.mdx --out o\.json`$",
        unchanged=("page.lock",),
        absent=("o.json",),
        setup=(edit("page.mdx", "a read-only template", "a read-only, layered template"),),
    ),
    Case(
        "missing-lock-with-locked",
        (*LOCKED_EXPORT, "--locked", "--out", "o.json"),
        1,
        rf"{ERR}page\.lock does not exist; "
        r"run `dockerqa export csv --source page\.mdx --out o\.json`$",
        unchanged=("page.mdx",),
        absent=("o.json", "page.lock"),
        setup=(remove("page.lock"),),
    ),
    Case(
        "source-date-epoch-too-large",
        ("lock", "--source", "page.mdx"),
        1,
        rf"{ERR}SOURCE_DATE_EPOCH must be whole seconds from 0 to 253402300799 ",
        env={"SOURCE_DATE_EPOCH": "100000000000000000000"},
    ),
    Case(
        "source-date-epoch-negative",
        (*LOCKED_EXPORT, "--out", "o.json"),
        1,
        rf"{ERR}SOURCE_DATE_EPOCH must be whole seconds from 0 to ",
        absent=("o.json",),
        env={"SOURCE_DATE_EPOCH": "-1"},
    ),
    # --- the command line -----------------------------------------------------------------------
    Case(
        "unknown-exporter",
        ("export", "jsn", "--source", "page.mdx"),
        2,
        r"Error: unknown exporter 'jsn' \(available: anki, csv, html, json, .*all\)$",
        absent=("dist",),
    ),
    Case(
        "option-the-exporter-does-not-take",
        (*EXPORT, "-o", "plain=true", "--out", "o.json"),
        1,
        rf"{ERR}the json exporter takes no option plain \(accepted: none\)$",
        absent=("o.json",),
    ),
    Case(
        "flag-the-exporter-does-not-declare",
        (*EXPORT, "--plain", "--out", "o.json"),
        2,
        r"Usage: dockerqa export json \[OPTIONS\]$",
        absent=("o.json",),
    ),
    Case(
        "unknown-section",
        (*EXPORT, "--section", "nope", "--out", "o.json"),
        1,
        rf"{ERR}unknown section 'nope' \(available: basics-setup, comparisons, scenarios\)$",
        absent=("o.json",),
    ),
    Case(
        "unknown-card-type",
        ("export", "anki", "--source", "page.mdx", "--cards", "nope", "--out", "d.apkg"),
        1,
        rf"{ERR}option cards: unknown value 'nope' "
        r"\(choose from main, follow-up, red-flag, table-row\)$",
        absent=("d.apkg",),
    ),
    Case(
        "missing-templates-directory",
        ("export", "html", "--source", "page.mdx", "--templates", "tpl", "--out", "o.html"),
        1,
        rf"{ERR}tpl: templates directory does not exist$",
        absent=("o.html",),
    ),
    Case(
        "template-fails",
        ("export", "html", "--source", "page.mdx", "--templates", "tpl", "--out", "o.html"),
        1,
        rf"{ERR}(.*/)?tpl/cheatsheet\.html\.j2:2: template error: division by zero$",
        absent=("o.html",),
        setup=(write("tpl/cheatsheet.html.j2", "<p>\n{{ 1/0 }}\n"),),
    ),
    Case(
        "template-not-utf8",
        ("export", "html", "--source", "page.mdx", "--templates", "tpl", "--out", "o.html"),
        1,
        rf"{ERR}tpl/cheatsheet\.html\.j2:2: not UTF-8 text \(byte 5\); save the template as UTF-8$",
        absent=("o.html",),
        setup=(write("tpl/cheatsheet.html.j2", b"<p>\n\xff</p>\n"),),
    ),
    # --- where the output goes ------------------------------------------------------------------
    Case(
        "output-directory-missing",
        (*EXPORT, "--out", "nodir/o.json"),
        1,
        rf"{ERR}nodir/o\.json: no such directory nodir; create it first$",
        absent=("nodir",),
    ),
    Case(
        "output-parent-is-a-file",
        (*EXPORT, "--out", "page.toml/o.json"),
        1,
        rf"{ERR}page\.toml/o\.json: cannot write: not a directory$",
    ),
    Case(
        "output-is-a-link-loop",
        (*EXPORT, "--out", "loop.json"),
        1,
        rf"{ERR}loop\.json: cannot write: too many levels of symbolic links$",
        unchanged=("page.mdx", "page.toml", "page.lock", "loop.json"),
        setup=(symlink("loop.json", "loop.json"),),
    ),
    Case(
        "output-through-a-link",
        (*EXPORT, "--out", "link.json"),
        0,
        None,
        unchanged=("page.mdx", "page.toml", "page.lock", "link.json"),
        setup=(lambda d: (d / "real").mkdir(), symlink("link.json", "real/o.json")),
    ),
    Case(
        "output-name-too-long",
        (*EXPORT, "--out", "x" * 300 + ".json"),
        1,
        rf"{ERR}x+\.json: cannot write: file name too long$",
    ),
    Case(
        "output-is-standard-output-as-a-pipe",
        (*EXPORT, "--out", "/dev/stdout"),
        0,
        None,
        output=r'"questions"',
    ),
    Case(
        "output-is-a-fifo-nothing-reads",
        (*EXPORT, "--out", "fifo"),
        1,
        rf"{ERR}fifo: cannot write: no process reads this pipe$",
        unchanged=("page.mdx", "page.toml", "page.lock", "fifo"),
        setup=(fifo("fifo"),),
    ),
    Case(
        "output-is-a-full-device",
        (*EXPORT, "--out", "full"),
        1,
        rf"{ERR}full: cannot write: no space left on device$",
        unchanged=("page.mdx", "page.toml", "page.lock", "full"),
        setup=(device("full", FULL),),
        root=True,
    ),
    Case(
        "output-is-a-null-device",
        ("export", "anki", "--source", "page.mdx", "--out", "null"),
        0,
        None,
        unchanged=("page.mdx", "page.toml", "page.lock", "null"),
        setup=(device("null", NULL),),
        root=True,
    ),
    Case(
        "output-directory-with-a-slash-missing",
        (*EXPORT, "--out", "newdir/"),
        1,
        rf"{ERR}newdir/: no such directory newdir; create it first$",
        absent=("newdir",),
    ),
    Case(
        "output-file-with-a-slash",
        (*EXPORT, "--out", "o.json/"),
        1,
        rf"{ERR}o\.json/: cannot write: not a directory$",
        unchanged=("page.mdx", "page.toml", "page.lock", "o.json"),
        setup=(write("o.json", "old"),),
    ),
    Case(
        "export-all-into-a-new-directory-with-a-slash",
        ("export", "all", "--source", "page.mdx", "--out", "newdir/"),
        0,
        None,
        present=("newdir/page.json", "newdir/page.apkg"),
    ),
    Case(
        "stale-temporary-beside-the-lock-removed-by-another-output",
        (*EXPORT, "--out", "o.json"),
        0,
        None,
        present=("o.json",),
        setup=(temporary(".page.lock.{pid}-0123456789abcdef.tmp", _gone_pid),),
    ),
    Case(
        "stale-temporary-beside-an-up-to-date-lock",
        (*EXPORT_ANKI, "--out", "out/d.apkg"),
        0,
        None,
        present=("out/d.apkg",),
        setup=(
            lambda d: (d / "out").mkdir(),
            temporary(".page.lock.{pid}-0123456789abcdef.tmp", _gone_pid),
        ),
    ),
    Case(
        "stale-temporary-beside-another-output",
        ("export", "all", "--source", "page.mdx", "--out", "out"),
        0,
        None,
        setup=(
            lambda d: (d / "out").mkdir(),
            temporary("out/.old.csv.{pid}-0123456789abcdef.tmp", _gone_pid),
        ),
    ),
    Case(
        "temporary-of-a-running-process-is-kept",
        (*LOCKED_EXPORT, "--out", "o.csv"),
        0,
        None,
        unchanged=("page.mdx", "page.toml", "page.lock", LIVE_TEMPORARY),
        setup=(temporary(LIVE_TEMPORARY, os.getpid),),
    ),
    # --- the drill store -------------------------------------------------------------------------
    *(
        Case(
            f"drill-store-{name}",
            DRILL_STATS,
            0,
            rf"dockerqa: warning: drill\.sqlite3: card basics-setup/\S+{review} is damaged "
            rf"\({why}\); left out$",
            unchanged=("page.mdx", "page.toml", "page.lock", "drill.sqlite3"),
            output=all_row(0 if review else 1),  # a damaged review is left out
            setup=(drill_store("drill.sqlite3", damage),),
        )
        for name, damage, review, why in [
            ("card-not-json", "UPDATE cards SET card = 'not json{'", "", "its state is not JSON"),
            ("card-empty-object", "UPDATE cards SET card = '{}'", "", "its state has no 'card_id'"),
            (
                "card-a-list",
                "UPDATE cards SET card = '[1, 2]'",
                "",
                "its state is a JSON list, not an object",
            ),
            (
                "card-state-9",
                "UPDATE cards SET card = json_set(card, '$.state', 9)",
                "",
                r"its state has a bad value \(9 is not a valid State\)",
            ),
            (
                "card-due-not-a-date",
                "UPDATE cards SET card = json_set(card, '$.due', 'soon')",
                "",
                r"its state has a bad value \(Invalid isoformat string: 'soon'\)",
            ),
            (
                "review-date-not-a-date",
                "UPDATE reviews SET reviewed = 'yesterday'",
                ", review 1,",
                "its date is 'yesterday'",
            ),
        ]
    ),
    *(
        Case(
            f"drill-store-is-the-page-{name}",
            ("drill", "--source", "page.mdx", "--store", f"page.{name}", "--stats"),
            1,
            rf"{ERR}page\.{name}: refusing to use the page's own file page\.{name} as the "
            r"drill store; give another --store$",
            setup=(write("page.toml", ""),),  # empty: SQLite would make it a database
        )
        for name in ("toml", "lock", "mdx")
    ),
    Case(
        "drill-stats-of-a-missing-store-creates-nothing",
        DRILL_STATS,
        0,
        None,
        absent=("drill.sqlite3", "drill.sqlite3-wal", "drill.sqlite3-shm"),
        output=all_row(0),
    ),
    Case(
        "drill-stats-of-an-empty-file-leaves-it-empty",
        DRILL_STATS,
        0,
        None,
        unchanged=("page.mdx", "page.toml", "page.lock", "drill.sqlite3"),
        output=all_row(0),
        setup=(write("drill.sqlite3", b""),),
    ),
    Case(
        "drill-store-read-only-for-stats",
        ("drill", "--source", "page.mdx", "--store", "ro/drill.sqlite3", "--stats"),
        0,
        None,
        unchanged=("page.mdx", "page.toml", "page.lock", "ro/drill.sqlite3", "ro"),
        output=all_row(1),
        setup=(drill_store("ro/drill.sqlite3"), read_only("ro/drill.sqlite3")),
        cleanup=(writable("ro/drill.sqlite3"),),
    ),
    # --- a third-party exporter that fails ------------------------------------------------------
    Case(
        "plugin-fails-in-export-all",
        ("export", "all", "--source", "page.mdx", "--out", "out"),
        1,
        rf"{ERR}the zboom exporter \(boom:Boom\) failed: ValueError: bad value in build second "
        r"line \(at .*boom\.py:\d+\); out/page\.boom is left as it was \(already written: "
        r"out/page\.apkg, out/page\.csv, out/page-cheatsheet\.html, out/page\.json\)$",
        unchanged=("page.mdx", "page.toml", "page.lock", "out/page.boom"),
        setup=(plugin, write("out/page.boom", "old")),
        env=boom("build"),
    ),
    Case(
        "plugin-fails-while-streaming",
        ("export", "zboom", "--source", "page.mdx", "--out", "o.boom"),
        1,
        rf"{ERR}the zboom exporter \(boom:Boom\) failed: ValueError: bad value in stream second "
        r"line \(at .*boom\.py:\d+\); o\.boom is left as it was \(nothing else written\)$",
        unchanged=("page.mdx", "page.toml", "page.lock", "o.boom"),
        setup=(plugin, write("o.boom", "old")),
        env=boom("stream"),
    ),
    Case(
        "plugin-fails-when-made",
        ("export", "all", "--source", "page.mdx", "--out", "out"),
        1,
        rf"{ERR}the zboom exporter \(boom:Boom\) failed: ValueError: bad value in init second "
        r"line \(at .*boom\.py:\d+\); nothing written$",
        absent=("out",),
        setup=(plugin,),
        env=boom("init"),
    ),
    Case(
        "plugin-fails-naming-its-file",
        ("export", "all", "--source", "page.mdx", "--out", "out"),
        1,
        rf"{ERR}the zboom exporter \(boom:Boom\) failed: ValueError: bad value in filename ",
        absent=("out",),
        setup=(plugin,),
        env=boom("filename"),
    ),
    Case(
        "plugin-fails-updating-its-state",
        ("export", "all", "--source", "page.mdx", "--out", "out"),
        1,
        rf"{ERR}the zboom exporter \(boom:Boom\) failed: ValueError: bad value in state second "
        r"line \(at .*boom\.py:\d+\); nothing written$",
        absent=("out",),
        setup=(plugin,),
        env=boom("state"),
    ),
]
CASES += [
    Case(
        f"metadata-{name}",
        ("list", "--source", "page.mdx"),
        1,
        f"{ERR}{expected}",
        setup=(write("page.toml", toml),),
    )
    for name, toml, expected in BAD_METADATA
]


def _state(path: Path) -> Any:
    """What must not change about a path: kind and content, link target or device numbers."""
    try:
        st = path.lstat()
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(st.st_mode):
        return ("link", os.readlink(path))
    if stat.S_ISREG(st.st_mode):
        return ("file", stat.S_IMODE(st.st_mode), path.read_bytes())
    if stat.S_ISDIR(st.st_mode):
        return ("dir", sorted(p.name for p in path.iterdir()))
    return ("node", stat.S_IFMT(st.st_mode), st.st_rdev)


@pytest.fixture(scope="module")
def page_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small page with its metadata and an up-to-date lock (copied for every row)."""
    d = tmp_path_factory.mktemp("page")
    shutil.copyfile(SMALL, d / "page.mdx")
    shutil.copyfile(SMALL.with_suffix(".toml"), d / "page.toml")
    refresh(dockerqa.load(d / "page.mdx"), d / "page.lock", now=T0)
    # every exporter's own state recorded too, so an export leaves the lock as it is
    dockerqa.export(d / "page.mdx", "all", tmp_path_factory.mktemp("all"), now=T0)
    return d


def test_the_catalogue_is_well_formed() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids)) and len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, page_dir: Path, tmp_path: Path) -> None:
    if case.root and os.geteuid() != 0:
        pytest.skip("makes a device node with os.mknod: needs root")
    d = tmp_path / "work"
    shutil.copytree(page_dir, d)
    try:
        for step in case.setup:
            step(d)
        before = {name: _state(d / name) for name in case.unchanged}
        result = run_cli(*case.args, cwd=d, env=case.env, timeout=60)
        after = {name: _state(d / name) for name in case.unchanged}
    finally:
        for step in case.cleanup:
            step(d)
    assert result.returncode == case.code, result.stderr
    assert "Traceback" not in result.stderr
    if case.first_line is None:
        assert result.stderr == ""
    else:
        first = result.stderr.splitlines()[0] if result.stderr else ""
        assert re.match(case.first_line, first), first
        if case.code in (0, 1):  # one line (a usage error is click's)
            assert result.stderr.count("\n") == 1, result.stderr
    assert after == before
    assert [name for name in case.absent if _state(d / name) is not None] == []
    assert [name for name in case.present if not (d / name).is_file()] == []
    if case.output is not None:
        assert re.search(case.output, result.stdout), result.stdout
    leftovers = [str(p.relative_to(d)) for p in d.rglob(".*.tmp")]
    assert [name for name in leftovers if name not in case.unchanged] == []


#: A file the user may not read: (file, arguments, first line). Permissions don't bind root,
#: so as root these run as ``nobody`` (through util-linux's setpriv).
DENIED = "cannot read: permission denied$"
STORE = ("drill", "--source", "page.mdx", "--store", "s.sqlite3")
CHECK = ("lock", "--check", "--source", "page.mdx")
UNREADABLE = [
    pytest.param("page.mdx", ("validate", "page.mdx"), rf"page\.mdx: {DENIED}", id="page"),
    pytest.param("page.mdx", (*EXPORT, "--out", "o"), rf"page\.mdx: {DENIED}", id="source"),
    pytest.param("page.toml", ("validate", "page.mdx"), rf"page\.toml: {DENIED}", id="metadata"),
    pytest.param("page.lock", CHECK, r"page\.lock: cannot read: permission denied;", id="lock"),
    pytest.param("s.sqlite3", (*STORE, "--stats"), rf"s\.sqlite3: {DENIED}", id="store"),
    pytest.param("s.sqlite3", STORE, rf"s\.sqlite3: {DENIED}", id="store-session"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "args", "first_line"), UNREADABLE)
def test_an_unreadable_file_is_one_line(
    name: str, args: tuple[str, ...], first_line: str, page_dir: Path
) -> None:
    as_user: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("root reads any file; needs setpriv to run as nobody")
        as_user = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    d = Path(tempfile.mkdtemp())  # not under pytest's private base, which nobody can't enter
    try:
        shutil.copytree(page_dir, d, dirs_exist_ok=True)
        if name == "s.sqlite3":
            sqlite3.connect(d / name).close()
        os.chmod(d, 0o777)
        os.chmod(d / name, 0)
        exe = Path(sys.executable).with_name("dockerqa")
        done = subprocess.run(
            [*as_user, str(exe), *args],
            cwd=d, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert (done.returncode, done.stderr.count("\n")) == (1, 1), done.stderr
        assert re.match(ERR + first_line, done.stderr), done.stderr
        assert not (d / "o").exists()
    finally:
        shutil.rmtree(d)


def test_an_empty_path_is_a_parse_error_in_the_api() -> None:
    with pytest.raises(dockerqa.ParseError, match=r"^'': an empty path names no page$"):
        dockerqa.load("")


def test_a_write_through_a_link_lands_in_its_target(page_dir: Path, tmp_path: Path) -> None:
    d = tmp_path / "work"
    shutil.copytree(page_dir, d)
    (d / "real").mkdir()
    (d / "link.json").symlink_to("real/o.json")
    assert run_cli(*EXPORT, "--out", "link.json", cwd=d).returncode == 0
    assert (d / "link.json").is_symlink()
    assert dockerqa.Library.model_validate_json((d / "real" / "o.json").read_bytes())


# --- hostile pages through every exporter, checked in real engines -------------------------------

HOSTILE_PAGES = [
    FIXTURES / "exporters" / "hostile.mdx",
    FIXTURES / "anki" / "hostile.mdx",
    FIXTURES / "hostile" / "markup.mdx",
]

_TRAP_DIALOGS = """window.__ran = [];
for (const name of ['alert', 'confirm', 'prompt', 'print', 'open', 'fetch'])
  window[name] = (...args) => { window.__ran.push(name + ':' + args.join(',')); };"""

#: Elements and attributes that run, load or redirect; the page's own head holds only its
#: charset and viewport ``<meta>``, its title and its ``<style>``.
_LIVE = """[...document.querySelectorAll('*')].filter(e => {
  const tag = e.tagName.toUpperCase();
  const own = e.parentNode === document.head
    && (tag === 'STYLE' || (tag === 'META' && !e.hasAttribute('http-equiv')));
  const active = ['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'IMG', 'SVG', 'LINK', 'META', 'BASE',
                  'FORM', 'INPUT', 'STYLE'].includes(tag);
  return (active && !own) || [...e.attributes].some(a => a.name.startsWith('on')
    || /^\\s*(javascript|vbscript|data):/i.test(a.value));
}).map(e => e.outerHTML.slice(0, 80))"""


@pytest.fixture(scope="module", params=HOSTILE_PAGES, ids=lambda p: f"{p.parent.name}-{p.stem}")
def hostile_exports(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """A copy of a hostile page (with its metadata) exported in every format."""
    source: Path = request.param
    d = tmp_path_factory.mktemp("hostile")
    shutil.copyfile(source, d / "page.mdx")
    if source.with_suffix(".toml").exists():
        shutil.copyfile(source.with_suffix(".toml"), d / "page.toml")
    out = d / "out"
    result = run_cli("export", "all", "--source", "page.mdx", "--out", "out", cwd=d)
    assert result.returncode == 0, result.stderr
    plain = run_cli("export", "csv", "--plain", "--source", "page.mdx", "--out", "plain.csv", cwd=d)
    assert plain.returncode == 0, plain.stderr
    return {
        "page": d / "page.mdx",
        "html": out / "page-cheatsheet.html",  # named by the page key (its file name)
        "apkg": out / "page.apkg",
        "json": out / "page.json",
        "plain": d / "plain.csv",
    }


@pytest.mark.browser
def test_hostile_cheat_sheet_runs_nothing_and_requests_nothing(
    hostile_exports: dict[str, Path], tab: Tab
) -> None:
    tab.send("Network.setBlockedURLs", urls=["*"])
    tab.send("Page.addScriptToEvaluateOnNewDocument", source=_TRAP_DIALOGS)
    events = tab.open(hostile_exports["html"])
    url = hostile_exports["html"].resolve().as_uri()
    requested = [
        m["params"]["request"]["url"] for m in events if m["method"] == "Network.requestWillBeSent"
    ]
    assert requested == [url]
    assert tab.evaluate("window.__ran") == []
    assert tab.evaluate(_LIVE) == []
    assert tab.evaluate("location.href") == url  # no refresh, no base


@pytest.mark.slow
def test_hostile_deck_has_no_live_content(hostile_exports: dict[str, Path], tmp_path: Path) -> None:
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        request = ImportAnkiPackageRequest(
            package_path=str(hostile_exports["apkg"]), options=ImportAnkiPackageOptions()
        )
        assert col.import_anki_package(request).log.new
        notetypes = [m["id"] for m in col.models.all()]
        for nid in col.find_notes(""):
            for name, value in col.get_note(nid).items():
                assert live_html(value) == [], (name, value)
                latex = col._backend.extract_latex(text=value, svg=False, expand_clozes=False)
                assert list(latex.latex) == [], value
                assert all(col.media.files_in_str(m, value) == [] for m in notetypes), value
        for cid in col.find_cards(""):
            out = col.get_card(cid).render_output()
            assert list(out.question_av_tags) == [] and list(out.answer_av_tags) == []
            for side in (out.question_text, out.answer_text):
                assert live_html(side) == [] and "<img" not in side, side
        for deck in col.decks.all():
            assert live_html(deck.get("desc", "")) == []
    finally:
        col.close()


def test_hostile_plain_csv_starts_no_formula(hostile_exports: dict[str, Path]) -> None:
    text = hostile_exports["plain"].read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0][0] == "id" and len(rows) > 1
    assert [c for row in rows for c in row if c.startswith(FORMULA_START)] == []


def test_hostile_json_reads_back_as_the_page(
    hostile_exports: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(hostile_exports["page"].parent)  # the export named the page "page.mdx"
    data = hostile_exports["json"].read_bytes()
    assert dockerqa.Library.model_validate_json(data) == dockerqa.load("page.mdx")


@pytest.mark.parametrize("path", [".", "/", ".."])
def test_a_directory_is_a_parse_error_in_the_api(path: str, tmp_path: Path) -> None:
    # '.' and '/' have no NAME for a NAME.toml beside them: asked for one, pathlib raises
    with pytest.raises(dockerqa.ParseError, match=r"^[./]+: is a directory, not a page$"):
        dockerqa.load(path)
    with pytest.raises(dockerqa.ParseError, match=r"^[./]+: is a directory, not a page$"):
        dockerqa.export(path, "json", tmp_path / "o.json")
    assert not (tmp_path / "o.json").exists()
