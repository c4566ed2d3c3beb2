"""The CSV exporter: RFC 4180 read back, goldens, and imports through the official ``anki``."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import genanki
import pytest
from engines import Tab

import dockerqa
from conftest import CORPUS, FIXTURES, fresh_export, run_cli
from dockerqa.exporters.csv import FIELD_CLASS, PLAIN_COLUMNS, CSVExporter
from dockerqa.exporting import ExportContext
from dockerqa.lock import read_lock
from dockerqa.render import embedded_css

SMALL = FIXTURES / "exporters" / "small.mdx"
HOSTILE = FIXTURES / "exporters" / "hostile.mdx"
#: Set to regenerate the goldens after a deliberate change (then read the diff).
REGENERATE = bool(os.environ.get("DOCKERQA_REGENERATE_GOLDENS"))

HEADER = [
    "#separator:Comma",
    "#html:true",
    "#notetype:Basic",
    "#guid column:1",
    "#deck column:2",
    "#tags column:3",
    "#if matches:update current",
]


def split_anki_csv(text: str) -> tuple[list[str], list[list[str]]]:
    """Anki header lines and the records after them, read with Python's csv module."""
    header: list[str] = []
    rest = text
    while rest.startswith("#"):
        line, rest = rest.split("\r\n", 1)
        header.append(line)
    return header, list(csv.reader(io.StringIO(rest, newline="")))


def read_plain(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _corpus_copy(tmp_path: Path) -> Path:
    """A copy of the corpus page and its metadata: exporting a page writes a lock beside it."""
    src = tmp_path / "src"
    src.mkdir()
    for name in (CORPUS.name, CORPUS.with_suffix(".toml").name):
        shutil.copy(CORPUS.parent / name, src / name)
    return src / CORPUS.name


# --- read back with Python's csv module ---------------------------------------------------------


def test_corpus_rows_read_back(corpus: dockerqa.Library, tmp_path: Path) -> None:
    page = _corpus_copy(tmp_path)
    (path,) = dockerqa.export(page, "csv", tmp_path / "deck.csv")
    assert path == tmp_path / "deck.csv"
    assert page.with_suffix(".lock").is_file(), "the csv exporter keeps the page's lock"
    data = path.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    header, rows = split_anki_csv(data.decode("utf-8"))
    assert header == HEADER
    assert len(rows) == 185 == 88 + 77 + 20
    assert {len(r) for r in rows} == {5}
    assert len({r[0] for r in rows}) == 185, "GUIDs are unique"
    types = Counter(t.split("::")[-1] for r in rows for t in r[2].split() if "::type::" in t)
    assert types == {"main": 88, "follow-up": 77, "red-flag": 20}
    # What the exporter meant to write is exactly what a reader gets back, newlines included.
    expected = list(csv.reader(io.StringIO(CSVExporter().render(corpus).split("\r\n", 7)[7])))
    assert rows == expected
    assert sum("\n" in r[4] for r in rows) > 150
    assert any('"' in r[4] for r in rows) and any("," in r[3] for r in rows)
    first = corpus.questions[0]
    assert rows[0][1] == "Docker Interview Questions::01 Fundamentals & Architecture"
    # the front asks the question written for it, under the title as context
    assert rows[0][3] == (
        "<p><small>VM vs Container</small></p>\n"
        "<p>How does a container differ from a virtual machine?</p>"
    )
    assert "Linux namespaces" in rows[0][4] and first.id == "fundamentals/vm-vs-container"
    # The bundled page's key is "dockerqa": its GUIDs are the ones earlier files carried, so a
    # newer CSV still updates the notes an older one created.
    assert rows[0][0] == genanki.guid_for("dockerqa-csv", first.id)


def test_diagram_source_is_a_labelled_block(corpus: dockerqa.Library) -> None:
    _, rows = split_anki_csv(CSVExporter().render(corpus))
    backs = [r[4] for r in rows if 'class="mermaid-diagram"' in r[4]]
    label = '<div class="code-lang">Diagram (Mermaid source)</div>\n<pre class="mermaid-diagram">'
    assert backs and all(label in b for b in backs)
    plain = read_plain(CSVExporter(plain=True).render(corpus))
    assert any("```mermaid" in r["back"] for r in plain)  # the plain variant stays Markdown


def test_every_record_starts_with_a_quote(corpus: dockerqa.Library) -> None:
    # Anki's reader treats a record starting with "#" as a comment; GUIDs may start with "#".
    text = CSVExporter().render(corpus)
    body = text.split("#if matches:update current\r\n", 1)[1]
    records = body.split('"\r\n"')
    assert len(records) == 185
    assert body.startswith('"') and body.endswith('"\r\n')


def test_plain_has_a_header_row_and_markdown(corpus: dockerqa.Library, tmp_path: Path) -> None:
    (path,) = dockerqa.export(_corpus_copy(tmp_path), "csv", tmp_path / "plain.csv", plain=True)
    text = path.read_bytes().decode("utf-8")
    assert text.startswith('"id","type","section","level","kind","front","back","tags"\r\n')
    rows = read_plain(text)
    assert tuple(rows[0]) == PLAIN_COLUMNS
    assert len(rows) == 185
    assert Counter(r["type"] for r in rows) == {"main": 88, "follow-up": 77, "red-flag": 20}
    q = corpus.get("fundamentals/vm-vs-container")
    main = next(r for r in rows if r["id"] == q.id)
    assert q.front is not None and main["front"] == q.front.ask
    # the substance first (the comparison table), the talk about the interview below it
    assert main["back"].startswith("| Feature ")
    assert "This is one of the most fundamental questions" in main["back"]
    assert "| Feature " in main["back"] and "<p>" not in main["back"]
    flag = next(r for r in rows if r["id"] == f"{q.id}#red-flag")
    assert flag["back"] == q.red_flag
    follow = next(r for r in rows if r["id"] == f"{q.id}#follow-up-1")
    assert follow["back"] == q.follow_ups[0].answer
    assert {r["level"] for r in rows} == {"basic", "intermediate", "advanced"}
    assert "dockerqa::section::fundamentals" in main["tags"].split()


def test_bytes_are_deterministic(corpus: dockerqa.Library, tmp_path: Path) -> None:
    """Two fresh processes (other hash seed, other time zone; nothing cached between them)
    write the same bytes as a build in this one, and the build writes nothing itself."""
    for plain in (False, True):
        flags = ["--plain"] if plain else []
        outputs = [
            fresh_export("csv", tmp_path / f"{seed}.csv", seed, *flags) for seed in ("0", "4242")
        ]
        exporter = CSVExporter(plain=plain)
        built = exporter.build(
            corpus,
            ExportContext(key=corpus.metadata.key, lock=read_lock(CORPUS.with_suffix(".lock"))),
        )
        assert outputs[0] == outputs[1] == built
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_library_needs_a_lock_file(corpus: dockerqa.Library, tmp_path: Path) -> None:
    with pytest.raises(dockerqa.ExportError, match=r"the csv exporter needs the page's lock"):
        dockerqa.export(corpus, "csv", tmp_path / "deck.csv")
    assert not list(tmp_path.iterdir())
    lock = tmp_path / "docker.lock"
    (path,) = dockerqa.export(corpus, "csv", tmp_path / "deck.csv", lock=lock)
    assert lock.is_file()
    assert path.read_bytes() == CSVExporter().build(corpus, ExportContext(key="dockerqa"))


def test_variants_have_their_own_file_names(tmp_path: Path) -> None:
    assert CSVExporter().filename() == "dockerqa.csv"
    assert CSVExporter(plain=True).filename() == "dockerqa-plain.csv"
    page = _corpus_copy(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (anki,) = dockerqa.export(page, "csv", out)
    (plain,) = dockerqa.export(page, "csv", out, plain=True)
    assert (anki, plain) == (out / "dockerqa.csv", out / "dockerqa-plain.csv")
    assert anki.read_bytes().startswith(b"#separator:Comma\r\n")
    assert plain.read_bytes().startswith(b'"id","type",')


def test_the_page_key_namespaces_the_guids(corpus: dockerqa.Library) -> None:
    # Two pages with the same question ids never share a GUID: the key is part of it.
    _, ours = split_anki_csv(CSVExporter().render(corpus))
    _, other = split_anki_csv(CSVExporter().render(corpus, ExportContext(key="k8s")))
    assert corpus.metadata.key == "dockerqa"
    assert [r[1:] for r in ours] == [r[1:] for r in other]
    assert not {r[0] for r in ours} & {r[0] for r in other}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def test_hostile_source_reaches_no_field_live() -> None:
    # Anki sanitises nothing on import: fields hold only escaped text and the renderer's HTML.
    _, rows = split_anki_csv(CSVExporter().render(dockerqa.load(HOSTILE)))
    assert len(rows) == 3
    for row in rows:
        for field in row[3:]:
            # The one style sheet allowed is the exporter's own, made for what the field holds.
            if m := re.match(r"<style>\n(.*?)</style>\n", field, re.S):
                field = field[m.end() :]
                assert m.group(1) == embedded_css(field, f".{FIELD_CLASS}")
            parser = _Tags()
            parser.feed(field)
            names = {t for t, _ in parser.tags}
            assert not names & {"script", "img", "svg", "iframe", "object", "style", "link"}, field
            for _, attrs in parser.tags:
                assert not [k for k in attrs if k.startswith("on")], field
                assert not attrs.get("href", "").lower().startswith("javascript:"), field
    assert "&lt;script&gt;alert(&quot;answer&quot;)&lt;/script&gt;" in rows[0][4]


def test_unknown_option_is_refused() -> None:
    with pytest.raises(
        dockerqa.ExportError, match=r"the csv exporter takes no option compact \(accepted: plain\)"
    ):
        CSVExporter(compact=True)
    with pytest.raises(dockerqa.ExportError, match=r"takes no option lock \(accepted: plain\)"):
        CSVExporter(lock=None)  # the lock comes in the ExportContext, never as an option
    with pytest.raises(dockerqa.ExportError, match=r"option plain: expected true or false"):
        CSVExporter(plain="maybe")
    assert CSVExporter(plain="yes").settings == {"plain": True}


@pytest.mark.parametrize(("plain", "golden"), [(False, "small.csv"), (True, "small.plain.csv")])
def test_golden(plain: bool, golden: str) -> None:
    lib = dockerqa.load(SMALL)
    text = CSVExporter(plain=plain).render(lib)
    path = FIXTURES / "exporters" / golden
    if REGENERATE:
        path.write_bytes(text.encode("utf-8"))
    assert text == path.read_bytes().decode("utf-8")


def test_cli_writes_plain_csv(tmp_path: Path) -> None:
    for f in SMALL.parent.glob(f"{SMALL.stem}.*"):
        if f.suffix in (".mdx", ".toml"):
            shutil.copy(f, tmp_path / f.name)
    out = tmp_path / "out.csv"
    source = tmp_path / SMALL.name
    result = run_cli("export", "csv", "--plain", "--source", str(source), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == (FIXTURES / "exporters" / "small.plain.csv").read_bytes()


# --- imports through the official anki package --------------------------------------------------

anki_collection = pytest.importorskip("anki.collection")


def _import(col: Any, path: Path) -> Any:
    meta = col.get_csv_metadata(path=str(path), delimiter=None)
    req = anki_collection.ImportCsvRequest(path=str(path), metadata=meta)
    return col.import_csv(req).log


def _by_guid(col: Any) -> dict[str, Any]:
    return {col.get_note(nid).guid: nid for nid in col.find_notes("")}


def _edit(page: Path, old: str, new: str) -> None:
    """Change one answer's text in a page copy, in place (its lock stays beside it)."""
    text = page.read_bytes().decode("utf-8")
    assert text.count(old) == 1
    page.write_bytes(text.replace(old, new).encode("utf-8"))


def test_anki_imports_then_updates_without_duplicates(tmp_path: Path) -> None:
    page = _corpus_copy(tmp_path)
    (first,) = dockerqa.export(page, "csv", tmp_path / "v1.csv")
    _, rows = split_anki_csv(first.read_bytes().decode("utf-8"))
    col = anki_collection.Collection(str(tmp_path / "c.anki2"))
    try:
        log = _import(col, first)
        assert len(log.new) == 185 and not log.updated and not log.conflicting
        assert col.note_count() == 185 and col.card_count() == 185
        decks = {d.name for d in col.decks.all_names_and_ids()}
        wanted = {r[1] for r in rows}
        assert len(wanted) == 10 and wanted <= decks
        tags = set(col.tags.all())
        assert {
            "dockerqa::level::basic",
            "dockerqa::level::advanced",
            "dockerqa::section::fundamentals",
            "dockerqa::kind::scenario",
            "dockerqa::type::red-flag",
        } <= tags
        guid, deck, _, front, back = rows[0]
        note = col.get_note(_by_guid(col)[guid])
        assert note.note_type()["name"] == "Basic"
        assert [note["Front"], note["Back"]] == [front, back]
        assert {col.decks.name(c.did) for c in note.cards()} == {deck}
        assert col._backend.check_database() == []

        # A user whose last import chose "keep current" still gets updates: the header says so.
        col.set_config("csvDuplicateResolution", 1)
        _edit(
            page,
            'not just "containers are lighter."',
            'not just "containers are lighter" (edited).',
        )
        (second,) = dockerqa.export(page, "csv", tmp_path / "v2.csv")
        log = _import(col, second)
        assert not log.new and not log.conflicting
        assert len(log.updated) == 1 and len(log.duplicate) == 184
        assert col.note_count() == 185
        note = col.get_note(note.id)
        assert "containers are lighter&quot; (edited)." in note["Back"]
    finally:
        col.close()


def test_anki_maps_fields_by_position_in_a_translated_collection(tmp_path: Path) -> None:
    # A German collection: no note type called "Basic", translated field names.
    (path,) = dockerqa.export(
        _corpus_copy(tmp_path), "csv", tmp_path / "f.csv", filters={"section": "fundamentals"}
    )
    _, rows = split_anki_csv(path.read_bytes().decode("utf-8"))
    col = anki_collection.Collection(str(tmp_path / "de.anki2"))
    try:
        basic = col.models.by_name("Basic")
        basic["name"] = "Einfach"
        basic["flds"][0]["name"] = "Vorderseite"
        basic["flds"][1]["name"] = "Rückseite"
        col.models.update_dict(basic)
        log = _import(col, path)
        assert len(log.new) == len(rows)
        note = col.get_note(_by_guid(col)[rows[0][0]])
        assert note.note_type()["name"] == "Einfach"
        assert note.fields == [rows[0][3], rows[0][4]]
    finally:
        col.close()


#: What Anki's reviewer puts around a card before the note type's CSS (its night palette).
_REVIEWER_CSS = """html, body { margin: 0; } body { padding: 20px; background: #fff; color: #000; }
body.nightMode { background: #2c2c2c; color: #fff; }"""

_STYLES_JS = """(() => {
  const style = el => { const s = getComputedStyle(el);
    return {color: s.color, background: s.backgroundColor, border: s.borderTopWidth + ' '
            + s.borderTopStyle + ' ' + s.borderTopColor}; };
  const token = document.querySelector('.highlight .k, .highlight .nb, .highlight .s2');
  return {pre: style(document.querySelector('pre')), token: style(token),
          cell: style(document.querySelector('td')), body: style(document.body)};
})()"""


def _luminance(colour: str) -> float:
    r, g, b = (int(v) / 255 for v in re.findall(r"\d+", colour)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.browser
def test_basic_cards_keep_highlighting_and_table_borders_day_and_night(
    corpus: dockerqa.Library, tmp_path: Path, tab: Tab
) -> None:
    # The stock Basic note type has none of dockerqa's CSS: each field brings its own.
    path = tmp_path / "deck.csv"
    path.write_text(CSVExporter().render(corpus), encoding="utf-8", newline="")
    col = anki_collection.Collection(str(tmp_path / "c.anki2"))
    try:
        _import(col, path)
        cards = [col.get_card(cid) for cid in col.find_cards("note:Basic")]
        outputs = [c.render_output() for c in cards]
        card, out = next(
            (c, o)
            for c, o in zip(cards, outputs, strict=True)
            if "<table" in o.answer_text and 'class="highlight"' in o.answer_text
        )
        assert card.note_type()["name"] == "Basic" and ".dq-csv" not in out.css
        assert re.search(r"<style>.*\.dq-csv td.*</style>", out.answer_text, re.S)
        styles = {}
        for mode in ("day", "night"):
            night = " nightMode night_mode" if mode == "night" else ""
            page = tmp_path / f"card-{mode}.html"
            page.write_text(
                f"<!DOCTYPE html><html><head><meta charset=utf-8><style>{_REVIEWER_CSS}</style>"
                f"<style>{out.css}</style></head><body class='card card1{night}'>"
                f"{out.answer_text}</body></html>",
                encoding="utf-8",
            )
            tab.open(page)
            styles[mode] = tab.evaluate(_STYLES_JS)
    finally:
        col.close()
    day, night = styles["day"], styles["night"]
    for s in (day, night):
        assert s["cell"]["border"].startswith("1px solid"), s  # table cells have borders
        assert s["token"]["color"] != s["pre"]["color"], s  # code is highlighted
    assert day["token"]["color"] != night["token"]["color"]  # with a night palette
    assert day["cell"]["border"] != night["cell"]["border"]
    # Night mode stays readable: light code text on a dark code background, and the reverse.
    assert _luminance(night["pre"]["color"]) > 0.7 > 0.3 > _luminance(night["pre"]["background"])
    assert _luminance(day["pre"]["color"]) < 0.3 < 0.7 < _luminance(day["pre"]["background"])
    # Every Anki-variant card that shows a table or code carries its style sheet.
    for o in outputs:
        for side in (o.question_text, o.answer_text):
            if "<table" in side or "<pre" in side:
                assert "<style>" in side


def test_filtered_export_keeps_the_deck_names(tmp_path: Path) -> None:
    # Through the pipeline the CSV gets the source's lock: deck numbers are source positions.
    page = _corpus_copy(tmp_path)
    (out,) = dockerqa.export(page, "csv", tmp_path / "adv.csv", filters={"section": "advanced"})
    _, rows = split_anki_csv(out.read_bytes().decode("utf-8"))
    assert {r[1] for r in rows} == {
        "Docker Interview Questions::07 Docker Advanced Level Questions"
    }
    assert not CSVExporter().render(dockerqa.load(page).filter(section="advanced")).count("::07 ")


# --- formula injection ------------------------------------------------------------------------

FORMULA_PAGE = """# Formulas

## 1. Basics

<AccordionGroup>
  <Accordion title="1. =HYPERLINK(&quot;http://evil.example&quot;,&quot;x&quot;)">
**Answer:**
+1 is the answer; -2 is not.

**What interviewers are really testing:** @SUM(A1:A2) in a cell.

**Red flag answer:** =cmd|' /C calc'!A0
  </Accordion>
</AccordionGroup>
"""
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def test_plain_cells_never_start_a_formula() -> None:
    lib = dockerqa.loads(FORMULA_PAGE, file="formulas.mdx")
    rows = list(csv.reader(io.StringIO(CSVExporter(plain=True).render(lib), newline="")))
    cells = [cell for row in rows[1:] for cell in row]
    assert [c for c in cells if c.startswith(FORMULA_START)] == []
    assert any('=HYPERLINK("http://evil.example","x")' in c for c in cells)  # kept, not live
    assert "'+1 is the answer; -2 is not." in {c.split("\n\n")[0] for c in cells}
    assert "'=cmd|' /C calc'!A0" in cells  # the red-flag note's back
    # The Anki variant keeps the text as is: Anki shows fields, it does not evaluate them.
    anki = CSVExporter().render(lib)
    assert "=HYPERLINK(" in anki and "'=HYPERLINK" not in anki


@pytest.mark.parametrize("first", FORMULA_START)
def test_each_formula_character_is_neutralised(first: str) -> None:
    from dockerqa.exporters.csv import plain_cell

    assert plain_cell(f"{first}x") == f"'{first}x"
    assert plain_cell(f"a{first}") == f"a{first}"
    assert plain_cell("") == ""
