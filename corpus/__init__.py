"""The bundled corpus: ``docker.mdx`` (the source page, verbatim), ``docker.toml`` (metadata)
and ``docker.lock`` (question identity across releases)."""

from pathlib import Path

#: Directory holding the bundled corpus files.
CORPUS_DIR = Path(__file__).resolve().parent
#: The bundled source page.
DEFAULT_SOURCE = CORPUS_DIR / "docker.mdx"
