"""Benchmarks of reader, run with ``python -m bench`` (or ``make bench``).

The first one measures what a person waits for when they make a highlight: one
``AnnotationStore.add_highlight`` call, durable on return, in a workspace of 10,000 articles and
100,000 highlights. In the same run it measures the baseline the store's design replaced: TinyDB's
default ``JSONStorage`` holding the same 100,000 highlights in one file, where every insert
rewrites the whole file.

* :mod:`bench.generate` builds the synthetic workspace and the baseline file,
* :mod:`bench.insert_latency` times the inserts,
* :mod:`bench.report` prints the table of medians.

These are measurements, not tests: ``tests/test_bench_smoke.py`` only checks that a tiny run
completes and prints its table.
"""
