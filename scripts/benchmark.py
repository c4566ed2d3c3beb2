"""Benchmark: dockerqa's commands as a user runs them, as ratios to floors measured in the same run.

Every figure is a whole process — interpreter start, imports, lock file included — started
from this script and measured with ``os.wait4``: wall time, CPU time (user + system) and peak
resident memory. Commands run on copies in a temporary directory, never on the bundled
corpus. Each round runs every command once, in an order rotated from round to round, so the
machine's drift touches all of them alike; ratios are taken within a round (paired) and
reported as the median and range over the rounds. Verdicts use CPU time, the steadier of the
two on a shared machine; wall ratios are shown beside them.

Floors are what any tool doing the same job must pay, measured as processes too:

* ``python -c "import click"`` — a click command that does nothing;
* the anki floor: importing what ``export anki`` needs (click, pydantic, markdown-it, its
  container plugin, pygments, genanki), markdown-it parsing the page once, rendering each
  distinct text once, highlighting each distinct code block once, and genanki writing the
  same notes (texts, code blocks and notes are taken from a real ``export anki`` first);
* the all-dependencies floor: importing every library ``export all`` uses (the above and
  jinja2, with the lexers of the page's code languages).

``import pydantic`` alone loads almost nothing (pydantic imports lazily): its models' machinery
is imported when the first model is defined and used, which every pydantic user pays. Both
floors therefore define and validate one one-field model.

Pages ×1, ×10, ×50 come from ``scripts/generate_page.py``. The peer is ankdown 0.7.1 with
``--highlight``, installed from PyPI in a venv of its own (kept in the user's cache
directory), fed the same questions by ``scripts/to_ankdown.py``.

dockerqa's own modules are byte-compiled first (``compileall``), as pip does on install, and
``PYTHONDONTWRITEBYTECODE`` is not passed on: otherwise an editable install would compile its
sources in every run, a cost no installed library in the floors pays.

Run: ``.venv/bin/python scripts/benchmark.py`` (about ten minutes; ``--quick`` for one round
at ×1 in seconds, ``--json PATH`` to choose where the figures go, ``--compare OLD.json`` to put
an earlier run's ratios beside this one's, ``--check`` to exit 1 when a target is missed).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
CORPUS = ROOT / "corpus"
PEER = "ankdown==0.7.1"
DEFAULT_PEER_VENV = (
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    / "dockerqa-benchmark"
    / "ankdown-0.7.1"
)

# --------------------------------------------------------------------------- floors

#: Libraries ``export anki`` cannot do without (the CLI, the model, Markdown, code, the deck).
_ANKI_IMPORTS = (
    "click, pydantic, markdown_it, mdit_py_plugins.container, pygments, "
    "pygments.formatters.html, pygments.lexers, genanki"
)

#: The anki floor: imports, one parse of the page, one render per distinct text, one
#: highlight per distinct code block, genanki writing the notes; prints each part's seconds.
FLOOR_ANKI = f"""
import time
t0 = time.perf_counter()
import json, sys
import {_ANKI_IMPORTS}
from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
class _Loaded(pydantic.BaseModel):  # pydantic imports its machinery with the first model
    x: int
_Loaded(x=1)
t1 = time.perf_counter()
data = json.loads(open(sys.argv[1], encoding="utf-8").read())
md = MarkdownIt("commonmark", {{"html": False}}).enable(["table", "strikethrough"])
md.use(container_plugin, name="callout")
md.parse(open(data["flat_page"], encoding="utf-8").read())
t2 = time.perf_counter()
for text in data["texts"]:
    md.render(text)
for text in data["inline"]:
    md.renderInline(text)
t3 = time.perf_counter()
formatter = HtmlFormatter(cssclass="highlight", wrapcode=True)
for code, lang in data["code"]:
    highlight(code, get_lexer_by_name(lang), formatter)
t4 = time.perf_counter()
models = {{}}
deck = genanki.Deck(2059400110, "floor")
for i, fields in enumerate(data["notes"]):
    n = len(fields)
    if n not in models:
        names = [{{"name": f"F{{k}}"}} for k in range(n)]
        tmpl = [{{"name": "c", "qfmt": "{{{{F0}}}}", "afmt": "{{{{F1}}}}"}}]
        models[n] = genanki.Model(1607392300 + n, f"m{{n}}", fields=names, templates=tmpl)
    deck.add_note(genanki.Note(model=models[n], fields=fields, guid=str(i)))
genanki.Package(deck).write_to_file(sys.argv[2])
t5 = time.perf_counter()
print(json.dumps({{"imports": t1 - t0, "parse": t2 - t1, "render": t3 - t2,
                  "highlight": t4 - t3, "genanki": t5 - t4}}))
"""

#: The all-dependencies floor: every library ``export all`` uses, and the page's lexers.
FLOOR_ALL = f"""
import sys
import {_ANKI_IMPORTS}, jinja2, markupsafe
from pygments.lexers import get_lexer_by_name
class _Loaded(pydantic.BaseModel):
    x: int
_Loaded(x=1)
for lang in sys.argv[1:]:
    get_lexer_by_name(lang)
"""


def capture_anki_work(page: Path, workdir: Path) -> dict[str, Any]:
    """What a real ``export anki`` of `page` renders, highlights and writes (for the floor)."""
    import dockerqa.render as render
    from dockerqa.pipeline import export

    for cached in (render.render_markdown, render.render_inline, render._code_block):
        cached.cache_clear()
    texts: dict[str, None] = {}
    inline: dict[str, None] = {}
    code: dict[tuple[str, str], None] = {}
    real_render, real_inline, real_highlight = (
        render._MD.render,
        render._MD.renderInline,
        render.highlight,
    )

    def spy_render(text: str, env: Any = None) -> str:
        texts[text] = None
        return real_render(text, env)  # type: ignore[no-any-return]

    def spy_inline(text: str, env: Any = None) -> str:
        inline[text] = None
        return real_inline(text, env)  # type: ignore[no-any-return]

    def spy_highlight(source: str, lexer: Any, formatter: Any) -> str:
        code[(source, lexer.aliases[0])] = None
        return real_highlight(source, lexer, formatter)  # type: ignore[no-any-return]

    render._MD.render, render._MD.renderInline = spy_render, spy_inline  # type: ignore[method-assign]
    render.highlight = spy_highlight
    try:
        (deck,) = export(page, "anki", workdir / "capture.apkg")
    finally:
        del render._MD.render, render._MD.renderInline
        render.highlight = real_highlight
        for cached in (render.render_markdown, render.render_inline, render._code_block):
            cached.cache_clear()
    with zipfile.ZipFile(deck) as z:
        db = workdir / "capture.anki2"
        db.write_bytes(z.read("collection.anki2"))
    with sqlite3.connect(db) as conn:
        notes = [row[0].split("\x1f") for row in conn.execute("SELECT flds FROM notes")]
    flat = workdir / "flat.md"
    lines = page.read_text(encoding="utf-8").split("\n")
    flat.write_text("\n".join(line.strip() for line in lines), encoding="utf-8")
    return {
        "flat_page": str(flat),
        "texts": list(texts),
        "inline": list(inline),
        "code": [list(k) for k in code],
        "notes": notes,
    }


# --------------------------------------------------------------------------- measuring


@dataclass
class Command:
    """One process to time: its argv, working directory and what it stands for."""

    key: str
    argv: list[str]
    cwd: Path
    what: str
    #: questions (scaled pages) or notes (decks) the command handles, for per-item figures
    items: int = 0
    #: keep stdout (floors report their parts as JSON)
    keep_stdout: bool = False


@dataclass
class Sample:
    wall: float
    cpu: float
    rss_mb: float
    stdout: str = ""


@dataclass
class Series:
    command: Command
    samples: list[Sample] = field(default_factory=list)

    def values(self, kind: str) -> list[float]:
        return [getattr(s, kind) for s in self.samples]


#: The process that starts every measured command: a bare interpreter (``-S``, stdlib only)
#: that forks, execs and ``os.wait4``s. Linux counts the memory a child had before ``exec``
#: in its ``ru_maxrss``, so a child forked from this script (tens of MB after the setup
#: imports dockerqa) would report at least that; forked from this runner it reports at least
#: the runner's ~10 MB, below any command measured here.
RUNNER = """
import json, os, sys, time
for line in sys.stdin:
    argv, cwd, out, err = json.loads(line)
    fds = [os.open(os.devnull, os.O_RDONLY)]
    fds += [os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC) for p in (out, err)]
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.chdir(cwd)
            for target, fd in enumerate(fds):
                os.dup2(fd, target)
            os.execv(argv[0], argv)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    for fd in fds:
        os.close(fd)
    cpu = usage.ru_utime + usage.ru_stime
    print(json.dumps([wall, cpu, usage.ru_maxrss, os.waitstatus_to_exitcode(status)]), flush=True)
"""


class Runner:
    """A `RUNNER` process: `run` starts one command in it and returns its figures."""

    def __init__(self, env: dict[str, str], scratch: Path) -> None:
        self.scratch = scratch
        self.proc = subprocess.Popen(
            [sys.executable, "-S", "-c", RUNNER],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, cmd: Command) -> Sample:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        out, err = self.scratch / "stdout", self.scratch / "stderr"
        job = [cmd.argv, str(cmd.cwd), str(out), str(err)]
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        wall, cpu, maxrss_kb, code = json.loads(self.proc.stdout.readline())
        if code != 0:
            message = err.read_text(errors="replace")[-2000:]
            raise SystemExit(f"{cmd.key}: exit {code}: {' '.join(cmd.argv)}\n{message}")
        stdout = out.read_text() if cmd.keep_stdout else ""
        return Sample(wall, cpu, maxrss_kb / 1024, stdout)

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait()


def measure(
    commands: Sequence[Command], rounds: int, warmup: bool, runner: Runner
) -> dict[str, Series]:
    """Every command once per round, the order rotated each round; one untimed round first."""
    series = {c.key: Series(c) for c in commands}
    if warmup:
        for c in commands:
            runner.run(c)
    for r in range(rounds):
        order = [*commands[r % len(commands) :], *commands[: r % len(commands)]]
        for c in order:
            series[c.key].samples.append(runner.run(c))
        print(f"  round {r + 1}/{rounds} done", file=sys.stderr, flush=True)
    return series


# --------------------------------------------------------------------------- ratios


@dataclass
class Ratio:
    name: str
    cpu: list[float]
    wall: list[float]
    target: float | None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.cpu)

    @property
    def verdict(self) -> str:
        if self.target is None:
            return ""
        return "ok" if self.median <= self.target else "MISSED"


def _paired(
    series: dict[str, Series], kind: str, f: Callable[[Callable[[str], float]], float]
) -> list[float]:
    """`f` applied within each round (``get(key)`` is that round's value of a command)."""
    n = min(len(s.samples) for s in series.values())
    return [f(lambda key, i=i: getattr(series[key].samples[i], kind)) for i in range(n)]


def ratios(
    series: dict[str, Series], scales: Sequence[int], questions: dict[int, int], peer: bool
) -> list[Ratio]:
    out: list[Ratio] = []

    def add(name: str, f: Callable[[Callable[[str], float]], float], target: float | None) -> None:
        out.append(Ratio(name, _paired(series, "cpu", f), _paired(series, "wall", f), target))

    for key in ("help", "version", "exporters"):
        add(
            f"dockerqa {series[key].command.what} / import click",
            lambda g, k=key: g(k) / g("floor-click"),
            1.5,
        )
    add("export anki / anki floor", lambda g: g("anki") / g("floor-anki"), 1.25)
    add("export all / all-dependencies floor", lambda g: g("all-x1") / g("floor-all"), 1.5)
    add("export all / anki floor (info)", lambda g: g("all-x1") / g("floor-anki"), None)
    if peer:
        notes = series["anki"].command.items
        main_notes = series["anki-main"].command.items
        peer_notes = series["ankdown"].command.items
        add(
            f"per note: export anki ({notes}) / ankdown --highlight ({peer_notes})",
            lambda g: (g("anki") / notes) / (g("ankdown") / peer_notes),
            1.0,
        )
        add(
            f"per note: export anki --cards main ({main_notes}) / ankdown ({peer_notes})",
            lambda g: (g("anki-main") / main_notes) / (g("ankdown") / peer_notes),
            None,
        )
        if "ankdown-x10" in series:
            extra = series["ankdown-x10"].command.items - peer_notes

            def beyond_start_up(g: Callable[[str], float]) -> float:
                return (g("anki-x10") - g("anki")) / (g("ankdown-x10") - g("ankdown"))

            add(
                f"per note beyond start-up (x1→x10, {extra} notes): anki / ankdown",
                beyond_start_up,
                None,
            )
    for s in scales:
        add(
            f"x{s}: lock refresh, unchanged / parse",
            lambda g, s=s: g(f"lock-x{s}") / g(f"parse-x{s}"),
            1.1,
        )
    if len(scales) >= 3:
        a, b, c = scales[:3]
        qa, qb, qc = questions[a], questions[b], questions[c]
        for what in ("parse", "lock", "all"):

            def marginal(g: Callable[[str], float], w: str = what) -> float:
                first = (g(f"{w}-x{b}") - g(f"{w}-x{a}")) / (qb - qa)
                second = (g(f"{w}-x{c}") - g(f"{w}-x{b}")) / (qc - qb)
                return second / first

            add(f"{what}: cost per question x{b}→x{c} / x{a}→x{b}", marginal, 1.1)
    return out


# --------------------------------------------------------------------------- report


def _fmt_range(values: list[float], scale: float = 1.0, digits: int = 2) -> str:
    med = statistics.median(values) * scale
    lo, hi = min(values) * scale, max(values) * scale
    return f"{med:.{digits}f} [{lo:.{digits}f}–{hi:.{digits}f}]"


def report(
    series: dict[str, Series],
    table: list[Ratio],
    memory_limit: float,
    big: int | None,
    previous: dict[str, Any] | None,
) -> list[str]:
    lines = ["", "Processes (median [min–max] over rounds; CPU = user + system)", ""]
    lines.append(f"{'command':<44} {'wall s':>21} {'CPU s':>21} {'peak MB':>8}")
    for s in series.values():
        rss = max(s.values("rss_mb"))
        lines.append(
            f"{s.command.what:<44} {_fmt_range(s.values('wall'), digits=3):>21} "
            f"{_fmt_range(s.values('cpu'), digits=3):>21} {rss:>8.0f}"
        )
    for key in ("floor-anki",):
        parts = [json.loads(x.stdout) for x in series[key].samples if x.stdout.strip()]
        if parts:
            text = ", ".join(
                f"{k} {statistics.median(p[k] for p in parts) * 1000:.0f} ms" for k in parts[0]
            )
            lines.append(f"  anki floor parts (in-process): {text}")
    old = {r["name"]: r for r in (previous or {}).get("ratios", [])}
    lines += ["", "Ratios (paired within rounds; verdict on CPU)", ""]
    head = f"{'ratio':<58} {'CPU':>20} {'wall':>7} {'target':>7}  verdict"
    lines.append(head + ("  previous" if previous else ""))
    for r in table:
        target = f"≤ {r.target:g}" if r.target is not None else ""
        row = (
            f"{r.name:<58} {_fmt_range(r.cpu):>20} {statistics.median(r.wall):>7.2f} "
            f"{target:>7}  {r.verdict:<7}"
        )
        if previous and r.name in old:
            row += f"  {statistics.median(old[r.name]['cpu']):.2f}"
        lines.append(row)
    if big is not None:
        for s in series.values():
            if s.command.key.endswith(f"-x{big}"):
                peak = max(s.values("rss_mb"))
                verdict = "ok" if peak < memory_limit else "MISSED"
                what = s.command.what.split(": ", 1)[-1].split(" (")[0]
                name = f"x{big}: peak memory of {what}, MB"
                lines.append(
                    f"{name:<58} {peak:>20.0f} {'':>7} {'< ' + format(memory_limit, 'g'):>7}  "
                    f"{verdict}"
                )
    return lines


# --------------------------------------------------------------------------- setup


def peer_python(venv: Path) -> Path:
    """ankdown's own venv (created and filled from PyPI on first use)."""
    python = venv / "bin" / "python"
    stamp = venv / ".installed"
    if not stamp.is_file():
        print(f"installing {PEER} into {venv} ...", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", PEER],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        stamp.write_text(PEER + "\n", encoding="utf-8")
    return python


def bytecode_cached(env: dict[str, str]) -> dict[str, str]:
    """`env` for the measured processes, with dockerqa's bytecode compiled beforehand.

    A user's installation has it: pip compiles what it installs, and an editable install
    writes ``__pycache__`` on first run. Without it (``PYTHONDONTWRITEBYTECODE`` set, as on
    some CI machines) every run would compile dockerqa's sources again, which the floors'
    libraries, installed by pip, never do.
    """
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    import dockerqa
    import dockerqa.exporters

    folders = {str(Path(p)) for m in (dockerqa, dockerqa.exporters) for p in m.__path__}
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", *sorted(folders)], env=env, check=True
    )
    return env


def _page(tmp: Path, times: int) -> Path:
    """A copy of the corpus (x1, with its lock) or a generated page, in a directory of its own."""
    folder = tmp / f"x{times}"
    folder.mkdir()
    page = folder / "docker.mdx"
    if times == 1:
        for name in ("docker.mdx", "docker.toml", "docker.lock"):
            shutil.copyfile(CORPUS / name, folder / name)
    else:
        subprocess.run(
            [sys.executable, str(SCRIPTS / "generate_page.py"), str(times), str(page)], check=True
        )
    return page


def build_commands(
    tmp: Path, scales: Sequence[int], peer: Path | None, env: dict[str, str]
) -> tuple[list[Command], dict[int, int]]:
    py = sys.executable
    exe = str(Path(py).with_name("dockerqa"))
    pages = {s: _page(tmp, s) for s in scales}
    questions = {s: p.read_text(encoding="utf-8").count("<Accordion ") for s, p in pages.items()}
    for page in pages.values():  # a lock that matches the page, as after a first export
        subprocess.run(
            [exe, "lock", "--source", str(page)], env=env, check=True, capture_output=True
        )
    x1 = pages[1]
    work = tmp / "work"
    work.mkdir()
    capture = capture_anki_work(x1, work)
    langs = sorted({lang for _, lang in capture["code"]})
    (work / "floor.json").write_text(json.dumps(capture), encoding="utf-8")
    notes = len(capture["notes"])
    out = tmp / "out"
    out.mkdir()
    commands = [
        Command("floor-click", [py, "-c", "import click"], tmp, 'python -c "import click"'),
        Command("help", [exe, "--help"], tmp, "--help"),
        Command("version", [exe, "--version"], tmp, "--version"),
        Command("exporters", [exe, "exporters"], tmp, "exporters"),
        Command(
            "floor-anki",
            [py, "-c", FLOOR_ANKI, str(work / "floor.json"), str(out / "floor.apkg")],
            tmp,
            "anki floor",
            keep_stdout=True,
        ),
        Command(
            "anki",
            [exe, "export", "anki", "--source", str(x1), "--out", str(out / "d.apkg")],
            tmp,
            f"export anki ({notes} notes)",
            items=notes,
        ),
        Command(
            "anki-main",
            [
                exe,
                "export",
                "anki",
                "--cards",
                "main",
                "--source",
                str(x1),
                "--out",
                str(out / "m.apkg"),
            ],
            tmp,
            f"export anki --cards main ({questions.get(1, 88)} notes)",
            items=questions.get(1, 88),
        ),
        Command("floor-all", [py, "-c", FLOOR_ALL, *langs], tmp, "all-dependencies floor"),
    ]
    if peer is not None:
        peer_exe = str(peer.with_name("ankdown"))
        # x1, and x10 when measured: what a note costs beyond start-up, side by side
        for s in [s for s in (1, 10) if s in pages]:
            cards = tmp / f"ankdown-x{s}"
            subprocess.run(
                [py, str(SCRIPTS / "to_ankdown.py"), str(cards), "--source", str(pages[s])],
                check=True,
                capture_output=True,
            )
            suffix = "" if s == 1 else f"-x{s}"
            apkg = str(out / f"peer{suffix}.apkg")
            commands.append(
                Command(
                    f"ankdown{suffix}",
                    [peer_exe, "-r", str(cards / "docker"), "-p", apkg, "--highlight"],
                    tmp,
                    f"ankdown 0.7.1 --highlight ({questions[s]} notes)",
                    items=questions[s],
                )
            )
            if s != 1:
                commands.append(
                    Command(
                        f"anki{suffix}",
                        [exe, "export", "anki", "--source", str(pages[s]), "--out",
                         str(out / f"d{suffix}.apkg")],
                        tmp,
                        f"x{s}: export anki ({questions[s]} notes)",
                        items=questions[s],
                    )
                )  # fmt: skip
    for s, page in pages.items():
        q = questions[s]
        commands += [
            Command(
                f"parse-x{s}",
                [exe, "validate", str(page)],
                tmp,
                f"x{s}: parse, validate ({q} q)",
                q,
            ),
            Command(
                f"lock-x{s}", [exe, "lock", "--source", str(page)], tmp, f"x{s}: lock, unchanged", q
            ),
            Command(
                f"all-x{s}",
                [exe, "export", "all", "--source", str(page), "--out", str(out / f"all-x{s}")],
                tmp,
                f"x{s}: export all",
                q,
            ),
        ]
    return commands, questions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7, help="timed runs of each command (≥ 7)")
    parser.add_argument("--scales", default="1,10,50", help="page sizes, in corpus copies")
    parser.add_argument("--quick", action="store_true", help="one round, x1 only, no warm-up")
    parser.add_argument("--no-peer", action="store_true", help="skip ankdown")
    parser.add_argument("--peer-venv", type=Path, default=DEFAULT_PEER_VENV)
    parser.add_argument("--json", type=Path, default=Path("benchmark.json"), help="figures out")
    parser.add_argument("--compare", type=Path, help="an earlier run's JSON to show beside")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    scales = [1] if args.quick else sorted({int(s) for s in args.scales.split(",")})
    rounds = 1 if args.quick else args.rounds
    if 1 not in scales:
        scales.insert(0, 1)
    env = bytecode_cached(dict(os.environ))
    peer = None if args.no_peer else peer_python(args.peer_venv)
    previous = json.loads(args.compare.read_text(encoding="utf-8")) if args.compare else None

    with tempfile.TemporaryDirectory(prefix="dockerqa-bench-") as name:
        tmp = Path(name)
        runner = Runner(env, tmp)  # started while this process is still small
        try:
            commands, questions = build_commands(tmp, scales, peer, env)
            print(f"{len(commands)} commands, {rounds} round(s)", file=sys.stderr, flush=True)
            series = measure(commands, rounds, warmup=not args.quick, runner=runner)
        finally:
            runner.close()
    table = ratios(series, scales, questions, peer is not None)
    memory_limit = 150.0
    big = max(scales) if len(scales) > 1 else None
    lines = report(series, table, memory_limit, big, previous)
    print("\n".join(lines))

    result = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cpus",
        "rounds": rounds,
        "scales": scales,
        "questions": questions,
        "processes": {
            k: {
                "what": s.command.what,
                "items": s.command.items,
                "samples": [
                    {k2: v for k2, v in asdict(x).items() if k2 != "stdout"} for x in s.samples
                ],
            }
            for k, s in series.items()
        },
        "ratios": [
            {"name": r.name, "cpu": r.cpu, "wall": r.wall, "target": r.target, "verdict": r.verdict}
            for r in table
        ],
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"\nfigures written to {args.json}", file=sys.stderr)
    missed = [r.name for r in table if r.verdict == "MISSED"] + [
        line for line in lines if line.endswith("MISSED") and "peak memory" in line
    ]
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
