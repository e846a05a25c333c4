"""Renderers: one module per output kind. Each takes a ``RenderContext`` and returns the files
it produced as ``{relative path: bytes}``; none of them reads articles or config files itself.
Each also declares, in ``proofs``, how pipeline.verify reads its files back to prove they
carry the disclaimers (see ``proof``)."""
