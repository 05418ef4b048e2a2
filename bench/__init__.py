"""Benchmarks of reader, run with ``python -m bench`` (or ``make bench``): one table of every
measure of issue 9, each next to a baseline measured in the same run.

* :mod:`bench.generate` builds the synthetic workspace (10,000 articles, one of them 1 MB,
  100,000 highlights over 50 tags) and the single-file TinyDB baseline,
* :mod:`bench.launch` times a 1 MB article's launch to first text in tmux (row 1),
* :mod:`bench.insert_latency` times durable inserts against TinyDB's default storage (row 2),
* :mod:`bench.app_open` times opening the workspace to its article list in tmux, and reads the
  app's peak memory (rows 3 and 7),
* :mod:`bench.search` times full-text search against a scan of the files (row 4),
* :mod:`bench.export_speed` times the W3C export against ``json.dumps`` (row 5),
* :mod:`bench.scroll` times key press to repaint in the reading pane against ``TextArea``
  (row 6),
* :mod:`bench.tmux` starts programs in a real terminal and watches for their text,
* :mod:`bench.report` prints the table, the details, the workspace and the machine.

These are measurements, not tests: ``tests/test_bench_smoke.py`` only checks that a tiny run
completes and prints its table.
"""
