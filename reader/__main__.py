"""``python -m reader``: the ``reader`` command, as ``reader serve`` runs it for each browser tab
(the Python that serves, whatever is on PATH)."""

from reader.startup import main

if __name__ == "__main__":  # importing the package's modules (as tests do) starts nothing
    main()
