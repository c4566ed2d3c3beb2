"""The model: frozen, documented, filterable; the Python API around it."""

from __future__ import annotations

import pydantic
import pytest

import dockerqa
from dockerqa import Kind, Level, Library, Question
from dockerqa.model import FollowUp, Metadata, Part, Section, SourceSpan


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
