"""The command line, through click's CliRunner and as a real subprocess."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.cells import cell_len

import dockerqa
from conftest import CORPUS, FIXTURES, run_cli
from dockerqa import __version__
from dockerqa.cli import main

BUILTINS = ("anki", "csv", "html", "json")


def _copy_page(page: Path, into: Path) -> Path:
    """A copy of a page and its metadata: exporting a page may keep a lock beside it."""
    into.mkdir(parents=True, exist_ok=True)
    for f in (page, page.with_suffix(".toml")):
        shutil.copy(f, into / f.name)
    return into / page.name


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.output.strip() == f"dockerqa, version {__version__}"


def test_list_with_filters(runner: CliRunner) -> None:
    result = runner.invoke(main, ["list", "--section", "scenarios"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == 8
    assert lines[0].split()[:3] == ["scenarios/image-layer-bloat", "advanced", "scenario"]
    assert (
        len(runner.invoke(main, ["list", "--min-level", "intermediate"]).output.splitlines()) == 68
    )


WIDE_IDS = """## 1. A Section Whose Heading Makes A Long Id

<Accordion title="1. 容器是什么">
**Answer**: 隔离的进程。
</Accordion>
<Accordion title="2. 🐳">
**Answer**: A whale.
</Accordion>
<Accordion title="3. Docker 镜像">
**Answer**: 只读层。
</Accordion>
<Accordion title="4. Ok">
**Answer**: Short.
</Accordion>
"""


def _columns_at(line: str, *words: str) -> list[int]:
    """The display column (as a terminal shows it) at which each word starts in ``line``."""
    return [cell_len(line[: line.index(w)]) for w in words]


def test_list_and_stats_align_wide_characters_and_long_ids(
    runner: CliRunner, tmp_path: Path
) -> None:
    page = tmp_path / "wide.mdx"
    page.write_text(WIDE_IDS, encoding="utf-8")
    lines = runner.invoke(main, ["list", "--source", str(page)]).output.splitlines()
    assert len(lines) == 4
    assert len({tuple(_columns_at(ln, "basic", "question")) for ln in lines}) == 1, lines
    stats = runner.invoke(main, ["stats", "--source", str(page)]).output
    (row,) = [ln for ln in stats.splitlines() if "A Section Whose" in ln]
    assert "a-section-whose-heading-makes-a-long-id  1. A Section" in row


def test_show_prints_every_part(runner: CliRunner, corpus: dockerqa.Library) -> None:
    result = runner.invoke(main, ["show", "best-practices/minimize-image-size"])
    assert result.exit_code == 0
    assert result.output == corpus.get("best-practices/minimize-image-size").to_markdown() + "\n"
    headings = [ln for ln in result.output.splitlines() if ln.startswith("#")]
    assert headings == [
        "# 21. Minimize Image Size",
        "## Prompt",
        "## Steps",
        "## Answer",
        "## What interviewers are really testing",
        "## Red flag answer",
        "## What weak candidates say",
        "## What strong candidates say",
        "## Senior perspective",
        "## Staff perspective",
        "## Follow-up chain",
    ]
    as_json = json.loads(
        runner.invoke(main, ["show", "fundamentals/vm-vs-container", "--json"]).output
    )
    assert as_json["number"] == 1 and len(as_json["follow_ups"]) == 4


def test_stats(runner: CliRunner) -> None:
    out = runner.invoke(main, ["stats"]).output
    assert out.startswith("88 questions in 10 sections")
    expected = [
        "   20  basic",
        "   40  intermediate",
        "   28  advanced",
        "    8  scenario",
        "   77  follow-ups with an answer",
        "   12  advanced             6. Docker",
    ]
    for line in expected:
        assert line in out


def test_validate_reports_with_file_and_line(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0
    assert "corpus/docker.mdx:1382: duplicate-number: number 41" in result.output
    assert "corpus/docker.mdx:1938: repeated-topic: 'Docker Socket Security'" in result.output
    assert runner.invoke(main, ["validate", "--strict"]).exit_code == 1


def test_tags_counts_what_list_filters(runner: CliRunner) -> None:
    result = runner.invoke(main, ["tags"])
    assert result.exit_code == 0, result.output
    counts = {tag: int(n) for n, tag in (ln.split() for ln in result.output.splitlines())}
    assert list(counts) == sorted(counts)
    assert counts["dockerqa::level::basic"] == 20
    assert counts["dockerqa::kind::scenario"] == 8
    assert counts["dockerqa::section::fundamentals"] == 10
    topics = [t for t in counts if t.startswith("dockerqa::topic::")]
    assert len(topics) >= 5
    for tag in topics:  # --tag filters by topic, spelled either way
        for spelling in (tag, tag.removeprefix("dockerqa::topic::").upper()):
            listed = runner.invoke(main, ["list", "--tag", spelling])
            assert listed.exit_code == 0, listed.output
            assert len(listed.output.splitlines()) == counts[tag], spelling


def test_python_m_dockerqa_is_the_same_command(tmp_path: Path) -> None:
    def run(*cmd: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path, timeout=300)

    as_module = run(sys.executable, "-m", "dockerqa", "list", "--section", "scenarios")
    as_script = run_cli("list", "--section", "scenarios", cwd=tmp_path)
    assert as_module.returncode == 0 == as_script.returncode, as_module.stderr
    assert as_module.stdout == as_script.stdout and len(as_module.stdout.splitlines()) == 8
    version = run(sys.executable, "-m", "dockerqa", "--version")
    assert version.stdout.strip() == f"dockerqa, version {__version__}"
    missing = run(sys.executable, "-m", "dockerqa", "show", "nope/nothing")
    assert missing.returncode == 1 and missing.stderr.startswith("dockerqa: error: ")


def test_export_json_default_goes_to_dist(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["export", "json", "--level", "basic"])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "dist" / "dockerqa.json").read_text(encoding="utf-8"))
    assert len(data["questions"]) == 20
    assert data["metadata"]["key"] == "dockerqa"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_export_to_stdout_writes_only_the_data_even_when_the_lock_moves(tmp_path: Path) -> None:
    # No lock yet: the export creates it, and says so; that line must not land in the data.
    page = _copy_page(FIXTURES / "exporters" / "small.mdx", tmp_path / "src")
    result = run_cli("export", "csv", "--source", str(page), "--plain", "--out", "-")
    assert result.returncode == 0, result.stderr
    assert page.with_suffix(".lock").is_file()
    golden = (FIXTURES / "exporters" / "small.plain.csv").read_text(encoding="utf-8")
    assert result.stdout == golden.replace("\r\n", "\n")


def test_export_options_flags_and_stdout(tmp_path: Path) -> None:
    page = _copy_page(FIXTURES / "exporters" / "small.mdx", tmp_path / "src")
    lock = run_cli("lock", "--source", str(page))
    assert lock.returncode == 0, lock.stderr
    golden = (FIXTURES / "exporters" / "small.plain.csv").read_text(encoding="utf-8")
    for args in (["--plain"], ["-o", "plain=true"], ["-o", "plain=yes"]):
        result = run_cli("export", "csv", "--source", str(page), *args, "--out", "-")
        assert result.returncode == 0, result.stderr
        # text=True turns CRLF into LF; the exact bytes are checked by the CSV tests
        assert result.stdout == golden.replace("\r\n", "\n"), args
    assert page.with_suffix(".lock").is_file(), "csv keeps the page's lock"
    binary = run_cli("export", "anki", "--source", str(page), "--out", "-")
    assert binary.returncode == 1
    assert "the anki format is binary: give a file, not '-'" in binary.stderr
    bad = run_cli("export", "csv", "--source", str(page), "-o", "plain=maybe", "--out", "-")
    assert bad.returncode == 1 and "option plain: expected true or false" in bad.stderr
    assert bad.stdout == ""
    malformed = run_cli("export", "csv", "--source", str(page), "-o", "plain", "--out", "-")
    assert malformed.returncode == 2 and "'plain' is not KEY=VALUE" in malformed.stderr


def test_export_locked_fails_instead_of_writing_the_lock(tmp_path: Path) -> None:
    page = _copy_page(CORPUS, tmp_path / "src")
    out = tmp_path / "out"
    locked = run_cli("export", "csv", "--source", str(page), "--locked", "--out", str(out))
    assert locked.returncode == 1
    assert locked.stderr.startswith("dockerqa: error: ") and "does not exist" in locked.stderr
    assert not page.with_suffix(".lock").exists() and not out.exists()
    first = run_cli("export", "all", "--source", str(page), "--out", str(out))
    assert first.returncode == 0, first.stderr
    written = {ln.removeprefix("wrote ") for ln in first.stdout.splitlines() if "wrote" in ln}
    assert {str(out / n) for n in ("dockerqa.apkg", "dockerqa.csv", "dockerqa.json")} <= written
    assert str(out / "dockerqa-cheatsheet.html") in written
    assert page.with_suffix(".lock").is_file()
    again = run_cli("export", "csv", "--source", str(page), "--locked", "--out", str(out))
    assert again.returncode == 0, again.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "nope/nothing"], "no question with id 'nope/nothing'"),
        (["export", "json", "--section", "nope"], "unknown section 'nope' (available: "),
        (["validate", "missing.mdx"], "missing.mdx: no such file"),
        (
            ["list", "--source", str(FIXTURES / "invalid" / "unclosed_accordion.mdx")],
            "unclosed_accordion.mdx:6:1: <Accordion> (line 4) is not closed before "
            "</AccordionGroup>",
        ),
        (
            ["export", "json", "-o", "plain=true"],
            "the json exporter takes no option plain (accepted: none)",
        ),
    ],
)
def test_errors_are_one_line_without_traceback(
    args: list[str], message: str, tmp_path: Path
) -> None:
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("dockerqa: error: ")
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "dist").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "jsn"], "unknown exporter 'jsn' (available: {names}, all)"),
        (["export", "json", "--plain"], "No such option"),
        (["export", "all", "--plain"], "No such option"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    names = ", ".join(sorted(dockerqa.available_exporters()))
    assert set(BUILTINS) <= set(dockerqa.available_exporters())
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert message.format(names=names) in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "dist").exists()


def test_unwritable_output_fails_cleanly(tmp_path: Path) -> None:
    locked_dir = tmp_path / "ro"
    locked_dir.mkdir()
    blocker = locked_dir / "file"
    blocker.write_text("x")
    result = run_cli("export", "json", "--out", str(blocker / "out.json"))
    assert result.returncode == 1
    assert result.stderr.startswith("dockerqa: error: ") and "cannot write" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in locked_dir.iterdir()) == ["file"]


def test_real_subprocess_export_and_exporters_listing(tmp_path: Path) -> None:
    listed = run_cli("exporters")
    assert listed.returncode == 0
    names = [ln.split()[0] for ln in listed.stdout.splitlines()]
    assert names == sorted(names) and set(BUILTINS) <= set(names)
    result = run_cli("export", "json", "--kind", "comparison", "--out", str(tmp_path / "c.json"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote {tmp_path / 'c.json'}"
    assert len(json.loads((tmp_path / "c.json").read_text())["questions"]) == 4


def test_the_cli_names_every_level_and_kind_of_the_model() -> None:
    # the CLI keeps the names as data so that --help imports no model; they must not drift
    from dockerqa import cli
    from dockerqa.model import Kind, Level

    assert tuple(lv.value for lv in Level) == cli.LEVELS
    assert tuple(k.value for k in Kind) == cli.KINDS


def test_the_cli_offers_every_filter_of_the_pipeline() -> None:
    from dockerqa import cli
    from dockerqa.pipeline import FILTERS

    assert tuple(cli._filters({})) == FILTERS


def test_counts_of_one_are_singular(tmp_path: Path) -> None:
    page = tmp_path / "one.mdx"
    page.write_text('<Accordion title="1. Layers">\n**Answer:** They stack.\n</Accordion>\n')
    done = run_cli("validate", str(page))
    assert done.stderr.splitlines()[-1] == "1 question, 0 problems", done.stderr
    stats = run_cli("stats", "--source", str(page))
    assert stats.stdout.startswith("1 question in 1 section\n"), stats.stdout
