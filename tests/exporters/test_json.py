"""The JSON exporter: lossless, stable bytes, schema."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import dockerqa
from conftest import FIXTURES, run_cli
from dockerqa import Library
from dockerqa.exporters.json import JSONExporter
from dockerqa.exporting import ExportContext

#: Set to regenerate the golden after a deliberate change (then read the diff).
REGENERATE = bool(os.environ.get("DOCKERQA_REGENERATE_GOLDENS"))


def test_json_round_trip_is_lossless(corpus: dockerqa.Library, tmp_path: Path) -> None:
    (out,) = dockerqa.export(corpus, "json", tmp_path / "lib.json")
    again = Library.model_validate_json(out.read_bytes())
    assert again == corpus
    assert len(again) == 88
    assert again.metadata.key == "dockerqa"
    assert json.loads(out.read_bytes())["metadata"]["key"] == "dockerqa"
    assert not (tmp_path / "lib.lock").exists(), "json needs no lock and writes none"


def test_json_bytes_are_stable_and_match_golden(tmp_path: Path) -> None:
    page = FIXTURES / "pages" / "served_export.mdx"
    lib = dockerqa.loads(page.read_bytes(), file=page.name)
    (a_path,) = dockerqa.export(lib, "json", tmp_path / "a.json")
    (b_path,) = dockerqa.export(lib, "json", tmp_path / "b.json")
    a, b = a_path.read_bytes(), b_path.read_bytes()
    assert a == b
    assert a == JSONExporter().build(lib, ExportContext(key=lib.metadata.key))
    assert lib.metadata.key == "served-export"  # from the file name: no metadata file
    golden = FIXTURES / "exporters" / "served_export.json"
    if REGENERATE:
        golden.write_bytes(a)
    assert a.decode("utf-8") == golden.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.json"]


def test_json_to_standard_output(capfdbinary: Any, tmp_path: Path) -> None:
    page = FIXTURES / "pages" / "served_export.mdx"
    lib = dockerqa.loads(page.read_bytes(), file=page.name)
    assert dockerqa.export(lib, "json", "-") == [Path("-")]
    out = capfdbinary.readouterr().out
    assert out == JSONExporter().build(lib, ExportContext(key=lib.metadata.key))
    assert Library.model_validate_json(out) == lib


def test_schema_command_prints_the_library_schema() -> None:
    result = run_cli("schema")
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    assert schema["title"] == "Library"
    assert {"metadata", "sections", "questions"} <= set(schema["properties"])
    question = schema["$defs"]["Question"]["properties"]
    assert "What interviewers are really testing" in question["interviewer_intent"]["description"]
