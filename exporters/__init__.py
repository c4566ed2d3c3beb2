"""Built-in exporters, one module per format, installed as ``dockerqa.exporters``.

Each is registered through the ``dockerqa.exporters`` entry-point group, like any third-party
exporter, and imported only when chosen.
"""
