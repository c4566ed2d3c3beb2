"""The HTML cheat sheet: goldens, escaping, and checks in a real headless Chromium.

The browser is `engines.Browser` (DevTools protocol on a pipe, standard library only). Without
Chromium these tests skip, except when ``CI`` is set: there a missing browser fails the run.
"""

from __future__ import annotations

import html
import io
import os
import re
import shutil
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pypdf
import pytest
from engines import PAPERS, Tab

import dockerqa
from conftest import FIXTURES, fresh_export, run_cli
from dockerqa.exporters.html import HTMLExporter, first_paragraph
from dockerqa.exporting import ExportContext
from dockerqa.model import FIELD_LABELS, KIND_LABELS, Kind
from dockerqa.render import render_inline

SMALL = FIXTURES / "exporters" / "small.mdx"
HOSTILE = FIXTURES / "exporters" / "hostile.mdx"
#: Set to regenerate the goldens after a deliberate change (then read the diff).
REGENERATE = bool(os.environ.get("DOCKERQA_REGENERATE_GOLDENS"))

#: The page margins of the print CSS (``@page``) in mm.
MARGIN_X_MM = 14
CSS_PX_PER_INCH = 96


# --- a parsed view of the page ------------------------------------------------------------------


class _Page(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def ids(self) -> list[str]:
        return [a["id"] for _, a in self.tags if "id" in a]

    def hrefs(self) -> list[str]:
        return [a["href"] for t, a in self.tags if t == "a" and "href" in a]


def _visible_text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def _squash(text: str) -> str:
    """Text with all whitespace removed, for matching across line breaks in a PDF."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="module")
def pages(corpus: dockerqa.Library, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("cheatsheet")
    (full,) = dockerqa.export(corpus, "html", out / "full.html")
    (compact,) = dockerqa.export(corpus, "html", out / "compact.html", compact=True)
    return {"full": full, "compact": compact}


# --- without a browser --------------------------------------------------------------------------


_STYLE = re.compile(r"<style>\n.*?</style>\n", re.S)


def _compare_golden(path: Path, text: str) -> None:
    if REGENERATE:
        path.write_bytes(text.encode("utf-8"))
    assert text == path.read_bytes().decode("utf-8")


@pytest.mark.parametrize(
    ("compact", "golden"), [(False, "small.html"), (True, "small.compact.html")]
)
def test_golden(compact: bool, golden: str) -> None:
    """The page against its golden, and its style sheets against the one CSS golden (so a
    change of style rewrites one file, not every page golden)."""
    text = HTMLExporter(compact=compact).render(dockerqa.load(SMALL))
    styles = "".join(_STYLE.findall(text))
    assert styles, "the page carries its style sheets"
    _compare_golden(FIXTURES / "exporters" / "cheatsheet.css", styles)
    _compare_golden(FIXTURES / "exporters" / golden, _STYLE.sub("<style>…</style>\n", text))


@pytest.mark.parametrize("variant", ["full", "compact"])
def test_page_structure(corpus: dockerqa.Library, pages: dict[str, Path], variant: str) -> None:
    text = pages[variant].read_text(encoding="utf-8")
    page = _Page(text)
    ids = page.ids()
    assert len(ids) == len(set(ids)), "ids are unique"
    question_ids = [i for i in ids if "/" in i]
    assert question_ids == [q.id for q in corpus], "every question, in source order"
    assert [i for i in ids if i.startswith("section-")] == [
        f"section-{s.id}" for s in corpus.sections
    ]
    internal = [h[1:] for h in page.hrefs() if h.startswith("#")]
    assert set(internal) <= set(ids), "every table-of-contents link has a target"
    if variant == "full":
        assert f"#{corpus.questions[0].id}" in page.hrefs()
        assert len(internal) == len(corpus) + len(corpus.sections)
    badges = [a for t, a in page.tags if "dq-badge" in a.get("class", "").split()]
    assert sum("dq-level-" in a["class"] for a in badges) == 88
    # Self-contained: no scripts, no external resources, nothing fetched by CSS.
    assert not {t for t, _ in page.tags} & {"script", "link", "img", "iframe", "object", "embed"}
    assert not any("src" in a for _, a in page.tags)
    assert "@import" not in text and "url(" not in text and "@font-face" not in text
    assert 'a[href^="http"]::after' in text and "@page" in text
    assert "prefers-color-scheme: dark" in text


def test_compact_keeps_only_revision_parts(
    corpus: dockerqa.Library, pages: dict[str, Path]
) -> None:
    full = pages["full"].read_text(encoding="utf-8")
    compact = pages["compact"].read_text(encoding="utf-8")
    assert len(compact) < len(full) / 2
    for marker in ('"dq-part dq-intent"', '"dq-fa"', '"dq-part dq-weak-answer"', "Follow-up chain"):
        assert marker in full and marker not in compact
    assert compact.count('class="dq-part dq-red-flag"') == 20
    assert "columns: 2" in compact


def test_first_paragraph() -> None:
    assert first_paragraph("| a |\n|---|\n| b |\n\nFirst\nline.\n\nSecond.") == "First\nline."
    assert first_paragraph("::: note\n\nInside.\n\n:::\n\nAfter.") == "After."
    assert first_paragraph("```bash\ndocker ps\n```\n\n- a list") == "```bash\ndocker ps\n```"
    assert first_paragraph("") == ""
    assert first_paragraph("**Practical usage**:\n\n```sh\nls\n```\n\nIt lists.") == "It lists."
    assert first_paragraph("**Parameters explained:**\n\n- a\n\n**Bold only**\n\nSays.") == "Says."
    assert first_paragraph("Five drivers, each with its own isolation and use:\n\n- a") == (
        "Five drivers, each with its own isolation and use:"
    )
    assert first_paragraph("**Label:**\n\n```sh\nls\n```") == "**Label:**"


def test_no_compact_excerpt_is_a_bare_lead_in(
    corpus: dockerqa.Library, pages: dict[str, Path]
) -> None:
    # Each question's excerpt on the compact sheet says something: not "Practical usage:".
    text = pages["compact"].read_text(encoding="utf-8")
    excerpts = re.findall(r'<div class="dq-part dq-answer">\n(.*?)\n</div>', text, re.S)
    assert len(excerpts) == len(corpus)
    bare = []
    for html_ in excerpts:
        words = _visible_text(html_).split()
        bold_only = re.fullmatch(r"<p><strong>[^<]*</strong>:?</p>", html_.strip())
        if (words[-1].endswith(":") and len(words) < 8) or bold_only:
            bare.append(" ".join(words))
    assert bare == []


def test_bytes_are_deterministic(corpus: dockerqa.Library, tmp_path: Path) -> None:
    """Two fresh processes (other hash seed, other time zone; nothing cached between them)
    write the same bytes as a build and a render in this one."""
    for compact in (False, True):
        flags = ["--compact"] if compact else []
        outputs = [
            fresh_export("html", tmp_path / f"{seed}.html", seed, *flags) for seed in ("0", "4242")
        ]
        exporter = HTMLExporter(compact=compact)
        built = exporter.build(corpus, ExportContext(key=corpus.metadata.key))
        assert outputs[0] == outputs[1] == built == exporter.render(corpus).encode("utf-8")


def test_options_and_file_names() -> None:
    assert HTMLExporter().filename() == "dockerqa-cheatsheet.html"
    assert HTMLExporter(compact=True).filename() == "dockerqa-cheatsheet-compact.html"
    assert HTMLExporter(compact="true").settings == {"compact": True, "templates": None}
    with pytest.raises(
        dockerqa.ExportError,
        match=r"the html exporter takes no option plain \(accepted: compact, templates\)",
    ):
        HTMLExporter(plain=True)
    with pytest.raises(dockerqa.ExportError, match="templates directory does not exist"):
        HTMLExporter(templates="/no/such/dir").render(dockerqa.load(SMALL))


def test_variants_are_written_beside_each_other(tmp_path: Path) -> None:
    # Variants have their own file names, so exporting into one directory replaces nothing.
    page = tmp_path / "src" / SMALL.name
    page.parent.mkdir()
    for f in (SMALL, SMALL.with_suffix(".toml")):
        shutil.copy(f, page.parent / f.name)
    out = tmp_path / "out"
    out.mkdir()
    (full,) = dockerqa.export(page, "html", out)
    (compact,) = dockerqa.export(page, "html", out, compact=True)
    assert (full.name, compact.name) == ("small-cheatsheet.html", "small-cheatsheet-compact.html")
    assert full.read_bytes() == HTMLExporter().render(dockerqa.load(SMALL)).encode("utf-8")
    assert compact.read_bytes() == HTMLExporter(compact=True).render(dockerqa.load(SMALL)).encode()


_PART_LABELS = (
    Kind.SCENARIO.prompt_label,
    Kind.WORK_SAMPLE.prompt_label,
    *FIELD_LABELS.values(),
    "Follow-up questions",
)
_LIVE_TAGS = {"script", "iframe", "object", "embed", "img", "svg", "link", "b"}


def test_hostile_source_is_escaped() -> None:
    lib = dockerqa.load(HOSTILE)
    for compact in (False, True):
        text = HTMLExporter(compact=compact).render(lib)
        page = _Page(text)
        tags = [t for t, _ in page.tags]
        assert not set(tags) & _LIVE_TAGS, sorted(set(tags) & _LIVE_TAGS)
        assert tags.count("style") == 2
        for tag, attrs in page.tags:
            assert not [k for k in attrs if k.startswith("on")], (tag, attrs)
            for k in ("href", "src", "data", "action"):
                assert not attrs.get(k, "").strip().lower().startswith("javascript:"), (tag, attrs)
        assert "&lt;script&gt;alert(9)&lt;/script&gt;" in text
        assert "&lt;img src=x onerror=alert(1)&gt;" in text


# --- in a real browser --------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("variant", ["full", "compact"])
def test_pdf_has_every_title(
    corpus: dockerqa.Library,
    pages: dict[str, Path],
    tab: Tab,
    variant: str,
    record_property: Any,
) -> None:
    tab.open(pages[variant])
    titles = {q.id: _squash(_visible_text(render_inline(q.title))) for q in corpus}
    # What may not end a page: a heading (level or kind badge, part label, section heading).
    headings = {_squash(h).lower() for h in (*_PART_LABELS, *(s.heading for s in corpus.sections))}
    badges = (
        *(_squash(level.value).upper() for level in dockerqa.Level),
        *(_squash(label).upper() for label in KIND_LABELS.values()),
    )
    counts = {}
    for paper in PAPERS:
        reader = pypdf.PdfReader(io.BytesIO(tab.pdf(paper)))
        counts[paper] = len(reader.pages)
        texts = [p.extract_text() for p in reader.pages]
        text = _squash("".join(texts))
        missing = [qid for qid, title in titles.items() if title not in text]
        assert not missing, f"{paper}: titles missing from the PDF: {missing}"
        for number, page_text in enumerate(texts[:-1], 1):
            last = _squash(([line for line in page_text.splitlines() if line.strip()] or [""])[-1])
            assert not last.endswith(badges), (paper, number, last)
            assert last.lower() not in headings, (paper, number, last)
    record_property("pdf_pages", counts)
    print(f"\n{variant} cheat sheet PDF pages: {counts}")
    assert counts["A4"] >= 2


_OVERFLOW_JS = """(() => {
  const limit = document.documentElement.clientWidth + 0.5, out = [];
  const check = (rects, what) => { for (const r of rects)
    if (r.width > 0 && (r.right > limit || r.left < -0.5))
      out.push([what, Math.round(r.left), Math.round(r.right)]); };
  for (const el of document.body.querySelectorAll('*'))
    check(el.getClientRects(), el.tagName + '.' + el.className);
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (walk.nextNode()) {
    range.selectNodeContents(walk.currentNode);
    check(range.getClientRects(), 'text: ' + walk.currentNode.textContent.slice(0, 40));
  }
  return {width: document.documentElement.clientWidth,
          scrollWidth: document.documentElement.scrollWidth, overflow: out.slice(0, 20)};
})()"""


def _emulate_print(tab: Tab, paper: str) -> int:
    """Print media at the width of the paper's printable area; returns that width in px."""
    width = int((PAPERS[paper][0] - 2 * MARGIN_X_MM / 25.4) * CSS_PX_PER_INCH)
    tab.send("Emulation.setEmulatedMedia", media="print")
    tab.send(
        "Emulation.setDeviceMetricsOverride",
        width=width,
        height=1000,
        deviceScaleFactor=1,
        mobile=False,
    )
    return width


@pytest.mark.browser
@pytest.mark.parametrize("paper", sorted(PAPERS))
@pytest.mark.parametrize("variant", ["full", "compact"])
def test_nothing_is_wider_than_the_printable_page(
    pages: dict[str, Path], tab: Tab, variant: str, paper: str
) -> None:
    width = _emulate_print(tab, paper)
    tab.open(pages[variant])
    result = tab.evaluate(_OVERFLOW_JS)
    assert result["width"] == width
    assert result["overflow"] == [], result
    assert result["scrollWidth"] <= width


#: Words of every table cell (split after a hyphen or a slash, where a line may break) whose
#: boxes lie on more than one line: a word broken in the middle.
_SPLIT_WORDS_JS = """(() => {
  const split = [], range = document.createRange();
  let words = 0;
  for (const cell of document.querySelectorAll('.table-wrap th, .table-wrap td')) {
    const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    while (walk.nextNode()) {
      const node = walk.currentNode, code = !!node.parentElement.closest('code');
      for (const m of node.textContent.matchAll(/[^\\s\\-\\/]+[\\-\\/]?/g)) {
        words++;
        range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
        const boxes = [...range.getClientRects()].filter(r => r.width > 0);
        const tops = new Set(boxes.map(r => Math.round(r.top)));
        if (tops.size > 1) split.push([code ? 'code' : 'prose', m[0]]);
      }
    }
  }
  return {words, split};
})()"""


@pytest.mark.browser
@pytest.mark.parametrize("paper", sorted(PAPERS))
def test_no_word_in_a_table_breaks_across_lines(
    pages: dict[str, Path], tab: Tab, paper: str
) -> None:
    _emulate_print(tab, paper)
    tab.open(pages["full"])
    result = tab.evaluate(_SPLIT_WORDS_JS)
    assert result["words"] > 500  # every table of the sheet was measured
    assert result["split"] == []


@pytest.mark.browser
@pytest.mark.parametrize("variant", ["full", "compact"])
def test_no_request_with_network_blocked(pages: dict[str, Path], tab: Tab, variant: str) -> None:
    tab.send("Network.setBlockedURLs", urls=["*"])
    events = tab.open(pages[variant])
    url = pages[variant].resolve().as_uri()
    requested = [
        m["params"]["request"]["url"] for m in events if m["method"] == "Network.requestWillBeSent"
    ]
    failed = [m["params"] for m in events if m["method"] == "Network.loadingFailed"]
    assert requested == [url]
    assert failed == []
    assert tab.evaluate("document.title").startswith("Docker Interview Questions")


@pytest.mark.browser
def test_hostile_page_runs_nothing(tab: Tab, tmp_path: Path) -> None:
    (path,) = dockerqa.export(dockerqa.load(HOSTILE), "html", tmp_path / "hostile.html")
    tab.send("Network.setBlockedURLs", urls=["*"])
    events = tab.open(path)
    assert [m for m in events if m["method"] == "Network.loadingFailed"] == []
    live = tab.evaluate(
        """[...document.querySelectorAll('*')].filter(e =>
             ['SCRIPT', 'IFRAME', 'OBJECT', 'IMG', 'SVG', 'LINK'].includes(e.tagName.toUpperCase())
             || [...e.attributes].some(a => a.name.startsWith('on')
                || /^\\s*javascript:/i.test(a.value))).map(e => e.outerHTML)"""
    )
    assert live == []
    assert tab.evaluate("document.title") == "</title><script>alert(9)</script>"


@pytest.mark.browser
def test_light_dark_and_print_colours(pages: dict[str, Path], tab: Tab) -> None:
    def colours(media: str, scheme: str) -> list[str]:
        tab.send(
            "Emulation.setEmulatedMedia",
            media=media,
            features=[{"name": "prefers-color-scheme", "value": scheme}],
        )
        value: list[str] = tab.evaluate(
            "[getComputedStyle(document.documentElement).backgroundColor,"
            " getComputedStyle(document.body).color]"
        )
        return value

    tab.open(pages["full"])
    assert colours("screen", "light") == ["rgb(255, 255, 255)", "rgb(31, 35, 40)"]
    assert colours("screen", "dark") == ["rgb(30, 30, 30)", "rgb(230, 237, 243)"]
    assert colours("print", "dark") == ["rgb(255, 255, 255)", "rgb(0, 0, 0)"]


@pytest.mark.browser
def test_diagram_source_is_a_labelled_preformatted_block(pages: dict[str, Path], tab: Tab) -> None:
    tab.open(pages["full"])
    blocks = tab.evaluate(
        """[...document.querySelectorAll('pre.mermaid-diagram')].map(pre => [
             pre.previousElementSibling && pre.previousElementSibling.innerText,
             getComputedStyle(pre).whiteSpace, pre.innerText.split('\\n').length])"""
    )
    assert blocks and all(b[:2] == ["Diagram (Mermaid source)", "pre"] for b in blocks), blocks
    assert all(lines > 3 for *_, lines in blocks), "the source keeps its lines"


@pytest.mark.browser
def test_every_contents_link_reaches_its_target(pages: dict[str, Path], tab: Tab) -> None:
    tab.open(pages["full"])
    missed = tab.evaluate(
        """[...document.querySelectorAll('nav a[href^="#"]')].filter(a => {
             location.hash = a.getAttribute('href');
             const t = document.querySelector(':target');
             return !t || '#' + t.id !== a.getAttribute('href');
           }).map(a => a.getAttribute('href'))"""
    )
    assert missed == []
    assert tab.evaluate("document.querySelectorAll('nav a[href^=\"#\"]').length") == 98


def test_a_user_template_directory_overrides_the_packaged_template(tmp_path: Path) -> None:
    source = tmp_path / SMALL.name  # a copy: an export may keep a lock beside the page
    shutil.copy(SMALL, source)
    shutil.copy(SMALL.with_suffix(".toml"), source.with_suffix(".toml"))
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "cheatsheet.html.j2").write_text(
        "<title>{{ title }}</title>{% for s in sections %}<h2>{{ s.heading }}</h2>{% endfor %}\n"
    )
    out = tmp_path / "custom.html"
    result = run_cli(
        "export", "html", "--source", str(source), "--templates", str(templates), "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("<title>")
    (templates / "cheatsheet.html.j2").write_text("{{ no_such_variable }}")
    broken = run_cli(
        "export", "html", "--source", str(source), "--templates", str(templates), "--out", str(out)
    )
    assert broken.returncode == 1
    assert "template error" in broken.stderr and broken.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<p>\n{{ 1/0 }}\n", r"cheatsheet\.html\.j2:2: template error: division by zero"),
        (b"ok\n{{ 'a' + 1 }}\n", r"cheatsheet\.html\.j2:2: template error: "),
        (b"<p>caf\xe9</p>\n", r"cheatsheet\.html\.j2:1: not UTF-8 text \(byte 7\)"),
        (b"{% for %}\n", r"cheatsheet\.html\.j2:1: template error: "),
        (b"line\n{{ no_such_variable }}\n", r"cheatsheet\.html\.j2:2: template error: "),
    ],
    ids=["zero-division", "type-error", "not-utf8", "syntax", "undefined"],
)
def test_a_broken_user_template_is_one_line_naming_file_and_line(
    tmp_path: Path, content: bytes, message: str
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "cheatsheet.html.j2").write_bytes(content)
    out = tmp_path / "out.html"
    result = run_cli(
        "export", "html", "--source", str(SMALL), "--templates", str(templates), "--out", str(out)
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert re.match(rf"dockerqa: error: {re.escape(str(templates))}/{message}", result.stderr), (
        result.stderr
    )
    assert not out.exists()


def test_an_unreadable_user_template_is_one_line(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    # A regular file that cannot be read: reading a process's memory at offset 0 fails (EIO).
    (templates / "cheatsheet.html.j2").symlink_to("/proc/self/mem")
    with pytest.raises(dockerqa.ExportError, match=r"cheatsheet\.html\.j2: cannot read: ") as err:
        HTMLExporter(templates=templates).render(dockerqa.load(SMALL))
    assert str(err.value).startswith(str(templates / "cheatsheet.html.j2"))
