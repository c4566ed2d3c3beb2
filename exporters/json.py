"""JSON: the whole library, lossless (``Library.model_validate_json`` reads it back equal)."""

from __future__ import annotations

from collections.abc import Iterator

from dockerqa.exporting import ExportContext, Exporter, json_chunks
from dockerqa.model import Library


class JSONExporter(Exporter):
    """The library as one JSON document (UTF-8, keys in model order, stable bytes)."""

    name = "json"
    description = "the whole library as lossless JSON (read back with Library.model_validate_json)"
    default_filename = "{key}.json"

    def build(self, library: Library, context: ExportContext) -> bytes:
        """The library as indented JSON (UTF-8)."""
        return b"".join(self.stream(library, context))

    def stream(self, library: Library, context: ExportContext) -> Iterator[bytes]:
        """The JSON in pieces as it is encoded."""
        return json_chunks(library.model_dump(mode="json"), indent=2, ensure_ascii=False)
