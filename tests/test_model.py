"""The model: frozen, documented, filterable; the Python API around it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pydantic
import pytest

import dockerqa
from conftest import FIXTURES, run_cli
from dockerqa import Kind, Level, Library, Question
from dockerqa.model import FollowUp, Metadata, Part, Section, SourceSpan, document_fields


def test_public_api_is_small_and_complete() -> None:
    for name in ("load", "loads", "export", "Library", "Question", "ParseError", "Exporter"):
        assert name in dockerqa.__all__
    assert all(hasattr(dockerqa, name) for name in dockerqa.__all__)


@pytest.mark.parametrize(
    "model", [Library, Question, Section, FollowUp, Part, Metadata, SourceSpan]
)
def test_models_are_frozen_strict_and_every_field_documented(
    model: type[pydantic.BaseModel],
) -> None:
    assert model.model_config.get("frozen") is True
    assert model.model_config.get("extra") == "forbid"
    document_fields()  # docstrings become descriptions when a schema is asked for
    for name, info in model.model_fields.items():
        assert info.description, f"{model.__name__}.{name} has no docstring"


def test_questions_cannot_be_mutated(corpus: dockerqa.Library) -> None:
    q = corpus.questions[0]
    with pytest.raises(pydantic.ValidationError):
        q.title = "changed"  # type: ignore[misc]


def test_levels_are_ordered() -> None:
    assert Level.BASIC < Level.INTERMEDIATE < Level.ADVANCED
    assert Level.ADVANCED >= "intermediate"
    assert sorted([Level.ADVANCED, Level.BASIC, Level.INTERMEDIATE]) == list(Level)


def test_get_iteration_and_len(corpus: dockerqa.Library) -> None:
    assert len(corpus) == 88
    assert [q.id for q in corpus] == [q.id for q in corpus.questions]
    assert corpus.get("fundamentals/vm-vs-container").number == 1
    with pytest.raises(KeyError, match="did you mean: fundamentals/vm-vs-container"):
        corpus.get("fundamentals/vm-vs-contaner")


def test_filters(corpus: dockerqa.Library) -> None:
    assert len(corpus.filter(level="basic")) == 20
    assert len(corpus.filter(min_level=Level.INTERMEDIATE)) == 68
    assert len(corpus.filter(min_level="advanced")) == 28
    assert len(corpus.filter(section="scenarios")) == 8
    assert len(corpus.filter(section=["scenarios", "comparisons"])) == 12
    assert len(corpus.filter(kind="work_sample")) == 4
    assert len(corpus.filter(kind=Kind.COMPARISON, level="advanced")) == 4
    networking = corpus.filter(tag="networking")
    assert 0 < len(networking) < 88
    assert all("networking" in q.tags for q in networking)
    only = corpus.filter(section="scenarios")
    assert [s.id for s in only.sections] == ["scenarios"]
    with pytest.raises(ValueError):
        corpus.filter(level="expert")


def test_loads_without_metadata_and_load_of_a_path(corpus: dockerqa.Library) -> None:
    from conftest import CORPUS

    plain = dockerqa.loads(CORPUS.read_text(encoding="utf-8"))
    assert len(plain) == 88
    assert plain.questions[0].id == "fundamentals-architecture/vm-vs-container"
    assert plain.metadata.title == "Docker"
    by_path = dockerqa.load(CORPUS)
    assert [q.id for q in by_path] == [q.id for q in corpus]
    assert corpus.metadata.title == "Docker Interview Questions"
    assert corpus.metadata.source_url == "https://resources.devweekends.com/llms.txt"
    assert "verbatim" in (corpus.metadata.provenance or "")


def test_every_page_has_a_key(corpus: dockerqa.Library) -> None:
    from conftest import CORPUS

    assert corpus.metadata.key == "dockerqa"  # key = "dockerqa" in corpus/docker.toml
    text = CORPUS.read_text(encoding="utf-8")
    assert dockerqa.loads(text, file="k8s_Interview.mdx").metadata.key == "k8s-interview"
    assert dockerqa.loads(text, file="a/b/k8s.mdx", key="kube").metadata.key == "kube"
    assert Metadata.model_fields["key"].is_required()
    with pytest.raises(pydantic.ValidationError):
        Metadata(title="t", source_file="x.mdx")  # type: ignore[call-arg]


def test_text_without_a_file_name_gets_the_key_page() -> None:
    # As `dockerqa.loads` documents: the key defaults to ``page`` for ``<string>``.
    page = '## 1. Basics\n\n<Accordion title="1. One">\nText.\n</Accordion>\n'
    assert dockerqa.loads(page).metadata.source_file == "<string>"
    assert dockerqa.loads(page).metadata.key == "page"


def test_one_vocabulary_for_labels() -> None:
    from dockerqa.model import CARD_TYPES, FIELD_LABELS, KIND_LABELS

    assert list(CARD_TYPES) == ["main", "follow-up", "red-flag"]
    assert FIELD_LABELS["interviewer_intent"] == "What interviewers are really testing"
    assert FIELD_LABELS["red_flag"] == "Red flag answer"
    assert (FIELD_LABELS["senior_view"], FIELD_LABELS["staff_view"]) == (
        "Senior perspective",
        "Staff perspective",
    )
    assert set(KIND_LABELS) == set(Kind)
    assert Kind.WORK_SAMPLE.label == "Work sample"
    assert Kind.SCENARIO.prompt_label == "Scenario" and Kind.QUESTION.prompt_label == "Prompt"


def test_the_source_path_is_recorded_the_same_however_it_is_typed(tmp_path: Path) -> None:
    shutil.copyfile(FIXTURES / "exporters" / "small.mdx", tmp_path / "p.mdx")
    (tmp_path / "sub").mkdir()
    outputs = []
    for i, typed in enumerate(["p.mdx", "./p.mdx", "sub/../p.mdx", ".//p.mdx"]):
        out = tmp_path / f"{i}.json"
        result = run_cli("export", "json", "--source", typed, "--out", str(out), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        outputs.append(out.read_bytes())
    assert len(set(outputs)) == 1
    lib = dockerqa.load(f"{tmp_path}/sub/.././p.mdx")
    assert lib.metadata.source_file == str(tmp_path / "p.mdx")
    assert lib.questions[0].source.file == str(tmp_path / "p.mdx")
    assert b'"source_file": "p.mdx"' in outputs[0]


def test_in_section_follows_the_library_it_is_asked_of(corpus: dockerqa.Library) -> None:
    """The per-section index is never stale: a filtered or copied library gets its own."""
    first = corpus.sections[0].id
    everything = corpus.in_section(first)
    assert everything == tuple(q for q in corpus if q.section == first)
    basic = corpus.filter(level="basic")
    assert corpus.in_section(first) == everything  # asking another library changes nothing
    assert basic.in_section(first) == tuple(q for q in basic if q.section == first)
    fewer = corpus.model_copy(update={"questions": everything[:2]})
    assert fewer.in_section(first) == everything[:2]
    assert fewer.in_section(corpus.sections[1].id) == ()
    for k in range(20):  # more libraries than the index keeps
        subset = corpus.model_copy(update={"questions": corpus.questions[k:]})
        assert subset.in_section(first) == tuple(q for q in subset if q.section == first)
    assert corpus.in_section(first) == everything
