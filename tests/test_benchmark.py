"""The benchmark's scripts: the page generator, the ankdown converter and a quick smoke run."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import dockerqa
from conftest import ROOT
from dockerqa.model import PARTS_BY_NAME

SCRIPTS = ROOT / "scripts"


def _script(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPTS / name), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_generated_page_x1_is_the_corpus(tmp_path: Path) -> None:
    page = tmp_path / "x1.mdx"
    assert _script("generate_page.py", "1", str(page)).returncode == 0
    assert page.read_bytes() == (ROOT / "corpus" / "docker.mdx").read_bytes()
    assert page.with_suffix(".toml").read_bytes() == (ROOT / "corpus" / "docker.toml").read_bytes()


def test_generated_page_parses_with_unique_titles_and_distinct_bodies(
    tmp_path: Path, corpus: dockerqa.Library
) -> None:
    page = tmp_path / "x3.mdx"
    assert _script("generate_page.py", "3", str(page)).returncode == 0
    library = dockerqa.load(page)
    assert len(library) == 3 * len(corpus)
    assert len({q.id for q in library}) == len({q.heading for q in library}) == len(library)
    assert len({s.heading for s in library.sections}) == 3 * len(corpus.sections)
    # every copy has the corpus's labelled parts, and its own text in them
    copies = [[q for q in library if f"(copy {k})" in q.heading] for k in (2, 3)]
    for copy in copies:
        assert [q.kind for q in copy] == [q.kind for q in corpus]
        assert sum(bool(q.red_flag) for q in copy) == sum(bool(q.red_flag) for q in corpus)
    answers = [q.answer for q in library if q.answer]
    assert len(set(answers)) > 0.95 * len(answers)
    # the diagnostics grow with the page, not faster: the copies add no new kind of problem
    codes = {d.code for d in library.diagnostics}
    assert codes == {d.code for d in corpus.diagnostics}


def test_ankdown_input_has_one_card_per_question(tmp_path: Path, corpus: dockerqa.Library) -> None:
    assert _script("to_ankdown.py", str(tmp_path)).returncode == 0
    text = (tmp_path / "docker" / "docker.md").read_text(encoding="utf-8")
    cards = re.split(r"^---$", text, flags=re.M)
    assert len(cards) == len(corpus)
    prompt = PARTS_BY_NAME["prompt"]
    for card, q in zip(cards, corpus, strict=True):
        fields = re.split(r"^%$", card, flags=re.M)
        assert len(fields) == 3, q.id
        assert q.title in fields[0]
        assert fields[2].strip() == ", ".join(q.tags)
        # the back: every part but the prompt (on the front) under the parts table's label, in
        # its order, then the follow-up chain
        shown = [(label, text) for spec, label, text in q.study_parts() if spec != prompt]
        if q.follow_ups:
            shown.append((PARTS_BY_NAME["follow_ups"].label, f"1. {q.follow_ups[0].question}"))
        at = [fields[1].index(f"**{label}**\n\n{text.split(chr(10))[0]}") for label, text in shown]
        assert at == sorted(at), q.id


@pytest.mark.slow
def test_benchmark_quick_run_prints_every_ratio_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    run = _script("benchmark.py", "--quick", "--no-peer", "--json", str(out))
    assert run.returncode == 0, run.stderr
    assert "export anki / anki floor" in run.stdout
    result = json.loads(out.read_text(encoding="utf-8"))
    names = [r["name"] for r in result["ratios"]]
    assert "dockerqa --help / import click" in names
    assert all(r["cpu"] and all(v > 0 for v in r["cpu"]) for r in result["ratios"])
    peaks = [s["rss_mb"] for p in result["processes"].values() for s in p["samples"]]
    assert all(5 < mb < 150 for mb in peaks)
