"""Renderers: one module per output kind. Each takes a ``RenderContext`` and yields the files it
makes, one ``(relative path, bytes)`` at a time (or a ``Stored`` file an earlier build made
from the same inputs); none of them reads articles or config files itself.
Each also declares, in ``proofs``, how pipeline.verify reads its files back to prove they
carry the disclaimers (see ``proof``)."""
