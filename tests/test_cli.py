"""The command line, through click's CliRunner and as a real subprocess."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FIXTURES, run_cli
from dockerqa import __version__
from dockerqa.cli import main


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


def test_show_prints_every_part(runner: CliRunner) -> None:
    result = runner.invoke(main, ["show", "best-practices/minimize-image-size"])
    assert result.exit_code == 0
    for heading in (
        "# 21. Minimize Image Size",
        "## Answer",
        "## Red flag answer",
        "## Staff view",
    ):
        assert heading in result.output
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


def test_export_json_default_goes_to_dist(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["export", "json", "--level", "basic"])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "dist" / "dockerqa.json").read_text(encoding="utf-8"))
    assert len(data["questions"]) == 20


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "nope/nothing"], "no question with id 'nope/nothing'"),
        (["export", "jsn"], "unknown exporter 'jsn' (available: anki, csv, html, json)"),
        (["export", "json", "--section", "nope"], "unknown section 'nope' (available: "),
        (["validate", "missing.mdx"], "missing.mdx:1:1: no such file"),
        (
            ["list", "--source", str(FIXTURES / "invalid" / "unclosed_accordion.mdx")],
            "unclosed_accordion.mdx:6:1: <Accordion> (line 4) is not closed before "
            "</AccordionGroup>",
        ),
        (["export", "json", "--plain"], "the json exporter takes no option plain"),
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
    assert [ln.split()[0] for ln in listed.stdout.splitlines()] == ["anki", "csv", "html", "json"]
    result = run_cli("export", "json", "--kind", "comparison", "--out", str(tmp_path / "c.json"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote {tmp_path / 'c.json'}"
    assert len(json.loads((tmp_path / "c.json").read_text())["questions"]) == 4
