"""Refresh the README pictures from real output.

Builds the Anki deck with the ``anki`` exporter, imports it into a throwaway collection with
the official ``anki`` package, takes one card's front and back as Anki renders them
(``card.render_output()``: the HTML and the note type's CSS) and shows them in headless
Chromium in day and night mode; then shows the first page of the cheat sheet. Writes PNGs:

    docs/screenshots/card-front-day.png    docs/screenshots/card-back-day.png
    docs/screenshots/card-front-night.png  docs/screenshots/card-back-night.png
    docs/screenshots/card-back-phone-day.png  docs/screenshots/card-back-phone-night.png
    docs/screenshots/cheatsheet-first-page.png

The phone pictures show the back in a window 420 px wide, as on a phone.

Usage: ``python scripts/screenshots.py [--question ID] [--out DIR] [--chromium PATH]``
"""

from __future__ import annotations

import argparse
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path
from typing import Any

import dockerqa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from engines import CHROMIUM_FLAGS, find_chromium  # the tests' Chromium settings

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "docs" / "screenshots"
#: The bundled corpus's lock (checked, never written) gives the deck its identity.
CORPUS_LOCK = ROOT / "corpus" / "docker.lock"
DEFAULT_QUESTION = "best-practices/minimize-image-size"
#: Window sizes of the card pictures (name → side shown, width, height): a front is short, a
#: back is cut at the height; the phone view is a back in a phone-wide window.
CARD_WINDOWS = {
    "front": ("front", 760, 320),
    "back": ("back", 760, 900),
    "back-phone": ("back", 420, 900),
}
#: Printing from the command line uses Letter unless the page names a size: pick A4.
A4_PAPER = "<style>@page { size: A4; }</style>\n"


#: What Anki's reviewer puts around a card, before the note type's own CSS.
_REVIEWER_CSS = """
html, body { margin: 0; }
body { padding: 20px; background: #ffffff; color: #000000; }
body.nightMode { background: #2c2c2c; color: #ffffff; }
"""


def chromium_or_exit(explicit: str | None) -> str:
    """The Chromium executable to use; exits with a message when there is none."""
    found = find_chromium(explicit)
    if found is None:
        sys.exit("screenshots: headless Chromium not found (apt-get install chromium)")
    return found


def run_chromium(chromium: str, page: Path, *flags: str) -> None:
    """Open ``page`` in headless Chromium (the tests' flags, a fresh profile) with ``flags``."""
    with tempfile.TemporaryDirectory(prefix="dockerqa-chromium-") as profile:
        subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *flags, page.as_uri()],
            check=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=120,
        )


def screenshot(chromium: str, page: Path, png: Path, window: tuple[int, int]) -> None:
    """Load ``page`` in headless Chromium and save what the window shows as ``png``."""
    run_chromium(
        chromium, page.resolve(), f"--window-size={window[0]},{window[1]}", f"--screenshot={png}"
    )
    _wrote(png)


def _wrote(png: Path) -> None:
    print(f"wrote {png.relative_to(ROOT) if png.is_relative_to(ROOT) else png}")


def first_pdf_page_png(pdf: Path, png: Path) -> None:
    """Rasterise the first page of ``pdf`` at 96 dpi with pypdfium2 and save it as a PNG."""
    try:
        import pypdfium2
    except ImportError:
        sys.exit("screenshots: the cheat sheet picture needs pypdfium2 (pip install pypdfium2)")
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        bitmap = document[0].render(scale=96 / 72, rev_byteorder=True)  # RGB rows
        width, height, stride = bitmap.width, bitmap.height, bitmap.stride
        data = bytes(bitmap.buffer)
        channels = stride // width if bitmap.mode == "RGB" else 0
        if bitmap.mode != "RGB" or channels != 3:
            sys.exit(f"screenshots: unexpected bitmap mode {bitmap.mode}")
    finally:
        document.close()
    rows = b"".join(b"\0" + data[y * stride : y * stride + width * 3] for y in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    png.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )
    _wrote(png)


#: The deck's note type for a question's main card (its follow-ups and red flag have others).
MAIN_NOTETYPE = "dockerqa Question"


def _card_for(col: Any, question: dockerqa.Question) -> Any:
    """The question's main card: a card of its note of the main note type, first template."""
    for query in (f'"{question.id}"', f'"{question.title}"'):
        cards = [col.get_card(cid) for cid in col.find_cards(query)]
        if cards:
            return min(
                cards,
                key=lambda c: (c.note().note_type()["name"] != MAIN_NOTETYPE, c.ord, c.id),
            )
    sys.exit(f"screenshots: no card for {question.id} in the deck")


def card_page(css: str, body: str, ordinal: int, night: bool) -> str:
    """A page that shows card HTML the way Anki's reviewer does (body classes included)."""
    classes = f"card card{ordinal + 1}" + (" nightMode night_mode" if night else "")
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        "<title>Card</title>\n"
        f"<style>{_REVIEWER_CSS}</style>\n<style>{css}</style>\n</head>\n"
        f'<body class="{classes}">\n<div id="qa">\n{body}\n</div>\n</body>\n</html>\n'
    )


def card_screenshots(chromium: str, library: dockerqa.Library, qid: str, out: Path) -> None:
    """Front and back of one card, day and night, as Anki renders them."""
    from anki.collection import Collection, ImportAnkiPackageRequest
    from anki.import_export_pb2 import ImportAnkiPackageOptions

    with tempfile.TemporaryDirectory(prefix="dockerqa-screenshots-") as tmp:
        work = Path(tmp)
        (apkg,) = dockerqa.export(
            library, "anki", work / "deck.apkg", lock=CORPUS_LOCK, locked=True
        )
        col = Collection(str(work / "collection.anki2"))
        try:
            col.import_anki_package(
                ImportAnkiPackageRequest(
                    package_path=str(apkg),
                    options=ImportAnkiPackageOptions(with_scheduling=True),
                )
            )
            card = _card_for(col, library.get(qid))
            rendered = card.render_output()
            media = Path(col.media.dir())  # pages live beside the media they reference
            sides = {"front": rendered.question_text, "back": rendered.answer_text}
            for name, (side, width, height) in CARD_WINDOWS.items():
                for mode in ("day", "night"):
                    page = media / f"_screenshot-{name}-{mode}.html"
                    text = card_page(rendered.css, sides[side], card.ord, night=mode == "night")
                    page.write_text(text, encoding="utf-8")
                    screenshot(chromium, page, out / f"card-{name}-{mode}.png", (width, height))
        finally:
            col.close()


def cheatsheet_screenshot(chromium: str, library: dockerqa.Library, out: Path) -> None:
    """The cheat sheet's first printed page on A4 paper (the reader's choice of paper)."""
    with tempfile.TemporaryDirectory(prefix="dockerqa-screenshots-") as tmp:
        (page,) = dockerqa.export(library, "html", Path(tmp) / "cheatsheet.html")
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("</head>", A4_PAPER + "</head>", 1), encoding="utf-8")
        pdf = Path(tmp) / "cheatsheet.pdf"
        run_chromium(chromium, page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
        first_pdf_page_png(pdf, out / "cheatsheet-first-page.png")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--question", default=DEFAULT_QUESTION, help="id of the card to show")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the PNGs go")
    parser.add_argument("--chromium", help="Chromium executable (default: chromium on PATH)")
    args = parser.parse_args(argv)
    chromium = chromium_or_exit(args.chromium)
    library = dockerqa.load()
    args.out.mkdir(parents=True, exist_ok=True)
    cheatsheet_screenshot(chromium, library, args.out)
    try:
        dockerqa.get_exporter("anki")
    except dockerqa.ExportError as exc:
        print(f"screenshots: no card pictures: {exc}", file=sys.stderr)
        return 1
    card_screenshots(chromium, library, args.question, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
