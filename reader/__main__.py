"""``python -m reader``: the ``reader`` command, as ``reader serve`` runs it for each browser tab
(the Python that serves, whatever is on PATH)."""

from reader.startup import main

main()
