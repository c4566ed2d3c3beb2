"""The JSON exporter: lossless, stable bytes, schema."""

from __future__ import annotations

import json
from pathlib import Path

import dockerqa
from conftest import FIXTURES, run_cli
from dockerqa import Library


def test_json_round_trip_is_lossless(corpus: dockerqa.Library, tmp_path: Path) -> None:
    out = dockerqa.export(corpus, "json", tmp_path / "lib.json")
    again = Library.model_validate_json(out.read_bytes())
    assert again == corpus
    assert len(again) == 88


def test_json_bytes_are_stable_and_match_golden(tmp_path: Path) -> None:
    page = FIXTURES / "pages" / "served_export.mdx"
    lib = dockerqa.loads(page.read_bytes(), file=page.name)
    a = dockerqa.export(lib, "json", tmp_path / "a.json").read_bytes()
    b = dockerqa.export(lib, "json", tmp_path / "b.json").read_bytes()
    assert a == b
    golden = FIXTURES / "exporters" / "served_export.json"
    assert a.decode("utf-8") == golden.read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".*.tmp"))


def test_schema_command_prints_the_library_schema() -> None:
    result = run_cli("schema")
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    assert schema["title"] == "Library"
    assert {"metadata", "sections", "questions"} <= set(schema["properties"])
    question = schema["$defs"]["Question"]["properties"]
    assert "What interviewers are really testing" in question["interviewer_intent"]["description"]
