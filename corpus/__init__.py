"""The bundled corpus: ``docker.mdx`` (the source page, verbatim), ``docker.toml`` (metadata)
and ``docker.lock`` (question identity across releases). Read it with `dockerqa.load()`."""
