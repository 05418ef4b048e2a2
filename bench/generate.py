"""Build a synthetic workspace for the benchmarks, quickly and deterministically.

The text is made from the bundled sample corpus (:func:`corpus.sample_corpus.sample_articles`):
its sentences, plus sentences and headings put together from its words, shuffled with
``random.Random(seed)``. Each article is a few hundred to a few thousand words of headings and
paragraphs, written as a normal article file (front matter + Markdown, via
:meth:`Article.to_file_text`) but without the per-file fsync of :meth:`Library.save`.

The bodies use only characters that Markdown shows as they are (no ``*_`[]<>&\\#|~``), one line
per block, so the display text is known while the body is built: blocks joined by a blank line.
That is checked against the real renderer (:attr:`Article.display`) for every ``verify_every``-th
article, every article in a small run.

One article (the first) is made long: at least ``big_article_chars`` characters of display text,
1,000,000 by default, as a reader keeping a book-length piece or a long transcript would have.

Highlights are written straight into the store's on-disk layout, one TinyDB file per article
(``{"highlights": {...}}`` as :func:`annotations.storage.database_bytes` writes it, no
fsync), because 100,000 durable ``add_highlight`` calls would take far longer than the
benchmark itself. ``workspace.json`` gets the tags and the schema version in the same layout.
The baseline is one TinyDB file holding every highlight record, serialised as TinyDB's
``JSONStorage`` writes it (``json.dumps`` defaults) so its size does not jump at the first
insert.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from annotations.anchoring import quote_selector
from annotations.model import TAG_PALETTE, Highlight, Tag
from annotations.storage import database_bytes
from annotations.store import SCHEMA_VERSION
from corpus.article import Article, parse_article, slugify
from corpus.markdown_text import render
from corpus.sample_corpus import sample_articles
from corpus.workspace import Workspace

TAG_COUNT = 50
MIN_WORDS, MEDIAN_WORDS, MAX_WORDS = 200, 900, 4000
HIGHLIGHTS_TABLE = "highlights"
_FIELDS = tuple(Highlight.__dataclass_fields__)

# Characters Markdown renders as themselves inside a paragraph; a sentence with anything else
# is left out, so the display text of a generated body is exactly its blocks joined by "\n\n".
_SAFE_SENTENCE = re.compile(r"[\w \"$%'(),\-./:;?!¿¡–—’‘“”]+")
_SENTENCE_END = re.compile(r"(?<=[.?!”])\s+(?=[“\"¿A-Z])")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_BASE_TIME = dt.datetime(2024, 1, 8, 9, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class InsertSpec:
    """One highlight to insert during the measurement, on an article the generator wrote."""

    article_id: str
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    tags: tuple[str, ...]
    note: str

    def record(self, highlight_id: str, stamp: str) -> dict[str, Any]:
        """The record ``add_highlight`` would store for this highlight."""
        return Highlight(
            id=highlight_id,
            article_id=self.article_id,
            start=self.start,
            end=self.end,
            quote=self.quote,
            prefix=self.prefix,
            suffix=self.suffix,
            tags=list(self.tags),
            note=self.note,
            created=stamp,
            updated=stamp,
        ).to_dict()


@dataclass
class GeneratedData:
    """What :func:`generate` wrote, and what the measurement needs to know about it."""

    workspace: Workspace
    baseline_path: Path
    article_ids: list[str]
    tags: list[str]
    highlight_counts: dict[str, int]
    insert_specs: list[InsertSpec]
    big_article_id: str = ""
    article_words: int = 0
    verified_articles: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def highlight_total(self) -> int:
        return sum(self.highlight_counts.values())

    @property
    def largest_highlight_file(self) -> tuple[str, int]:
        """Id and size in bytes of the largest per-article highlights file."""
        best = ("", 0)
        for article_id in self.highlight_counts:
            size = self.workspace.highlights_db(article_id).stat().st_size
            if size > best[1]:
                best = (article_id, size)
        return best


class _Vocabulary:
    """Sentences, headings and words of the sample corpus, plus ones recombined from them."""

    def __init__(self, rng: random.Random) -> None:
        sentences: list[str] = []
        headings: list[str] = []
        words: list[str] = []
        self.authors: list[str] = []
        self.sites: list[str] = []
        for article in sample_articles():
            display = article.display
            for block in display.blocks:
                text = " ".join(display.text[block.start + block.marker : block.end].split())
                if block.kind == "heading":
                    if _safe(text):
                        headings.append(text)
                elif block.kind in ("paragraph", "list_item"):
                    sentences.extend(s for s in _SENTENCE_END.split(text) if _safe(s))
                words.extend(w.lower() for w in _WORD.findall(text))
            if article.author:
                self.authors.append(article.author)
            if article.site:
                self.sites.append(article.site)
        self.words = sorted(set(words))
        rng.shuffle(self.words)
        self.long_words = [w for w in self.words if len(w) >= 6 and "’" not in w and "'" not in w]
        # As many recombined sentences and headings as real ones: less repetitive text.
        sentences += [self._made_sentence(rng) for _ in range(len(sentences))]
        headings += [self.phrase(rng, 2, 7) for _ in range(max(len(headings), 40))]
        rng.shuffle(sentences)
        rng.shuffle(headings)
        self.sentences = sentences
        self.sentence_words = [len(s.split()) for s in sentences]
        self.headings = headings
        first = [a.split()[0] for a in self.authors]
        last = [a.split()[-1] for a in self.authors]
        self.authors += [f"{rng.choice(first)} {rng.choice(last)}" for _ in range(40)]

    def phrase(self, rng: random.Random, low: int, high: int) -> str:
        text = " ".join(rng.choices(self.words, k=rng.randint(low, high)))
        return text[0].upper() + text[1:]

    def _made_sentence(self, rng: random.Random) -> str:
        return self.phrase(rng, 6, 28) + rng.choice((".", ".", ".", "?"))


def _safe(sentence: str) -> bool:
    return bool(
        sentence
        and _SAFE_SENTENCE.fullmatch(sentence)
        and (sentence[0].isalpha() or sentence[0] in '“"¿')
    )


def _stamp(seconds: int) -> str:
    return (_BASE_TIME + dt.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _build_article(
    rng: random.Random, vocab: _Vocabulary, index: int, min_chars: int = 0
) -> tuple[Article, str, list[tuple[int, int, int]], int]:
    """An article, its display text, its sentences as (start, end, paragraph) and its words.
    With ``min_chars``, the display text is made at least that long."""
    target = int(min(MAX_WORDS, max(MIN_WORDS, rng.lognormvariate(math.log(MEDIAN_WORDS), 0.6))))
    body_blocks: list[str] = []
    shown_blocks: list[str] = []
    sentences: list[tuple[int, int, int]] = []
    offset = words = 0
    until_heading = rng.randint(2, 6)
    pool = len(vocab.sentences)
    while words < target or offset < min_chars:
        if shown_blocks:
            offset += 2  # the "\n\n" between blocks
        if until_heading == 0:
            heading = rng.choice(vocab.headings)
            body_blocks.append("## " + heading)
            shown_blocks.append(heading)
            offset += len(heading)
            until_heading = rng.randint(3, 7)
            continue
        until_heading -= 1
        parts: list[str] = []
        for n in range(rng.randint(2, 7)):
            j = rng.randrange(pool)
            sentence = vocab.sentences[j]
            if n:
                offset += 1
            sentences.append((offset, offset + len(sentence), len(shown_blocks)))
            offset += len(sentence)
            words += vocab.sentence_words[j]
            parts.append(sentence)
        paragraph = " ".join(parts)
        body_blocks.append(paragraph)
        shown_blocks.append(paragraph)
    title = vocab.phrase(rng, 4, 9)
    site = rng.choice(vocab.sites)
    published = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(730))
    article_id = f"{slugify(title, 48)}-{index:05d}"
    article = Article(
        id=article_id,
        title=title,
        body="\n\n".join(body_blocks) + "\n",
        author=rng.choice(vocab.authors),
        site=site,
        url=f"https://example.org/{slugify(site)}/{published:%Y/%m}/{slugify(title)}",
        published=published.isoformat(),
        imported=_stamp(index),
    )
    return article, "\n\n".join(shown_blocks), sentences, words


def _pick_span(
    rng: random.Random, text: str, sentences: list[tuple[int, int, int]]
) -> tuple[int, int]:
    """A highlight range: part of a sentence, a whole sentence, or a few in one paragraph."""
    j = rng.randrange(len(sentences))
    start, end, paragraph = sentences[j]
    roll = rng.random()
    if roll < 0.1:
        for k in range(j + 1, min(j + 3, len(sentences))):
            if sentences[k][2] != paragraph:
                break
            end = sentences[k][1]
    elif roll < 0.65:
        words = text[start:end].split(" ")
        if len(words) > 3:
            first = rng.randrange(len(words) - 2)
            last = min(len(words), first + rng.randint(2, 25))
            start += sum(len(w) + 1 for w in words[:first])
            end = start + len(" ".join(words[first:last]))
    return start, end


def _make_tags(vocab: _Vocabulary) -> list[str]:
    names: list[str] = []
    for word in vocab.long_words:
        if word not in names:
            names.append(word)
        if len(names) == TAG_COUNT:
            break
    while len(names) < TAG_COUNT:  # a tiny vocabulary: number the rest
        names.append(f"code-{len(names) + 1}")
    return names


def _choose_tags(rng: random.Random, tags: list[str], weights: list[float]) -> tuple[str, ...]:
    k = rng.choices((0, 1, 2, 3), weights=(15, 50, 25, 10))[0]
    return tuple(dict.fromkeys(rng.choices(tags, cum_weights=weights, k=k)))


def _note(rng: random.Random, vocab: _Vocabulary) -> str:
    return vocab.phrase(rng, 5, 30) + "." if rng.random() < 0.3 else ""


def generate(
    root: Path,
    *,
    articles: int,
    highlights: int,
    inserts: int,
    seed: int = 1,
    verify_every: int = 20,
    big_article_chars: int = 1_000_000,
) -> GeneratedData:
    """Write ``articles`` articles and ``highlights`` highlights into a new workspace at
    ``root / "workspace"`` and the baseline at ``root / "baseline.json"``.

    ``inserts`` highlights more are prepared (not written) for the measurement, on distinct
    articles as far as there are enough.
    """
    if articles < 1 or highlights < 0 or inserts < 0:
        raise ValueError("need at least one article and no negative counts")
    began = time.perf_counter()
    timings: dict[str, float] = {}
    rng = random.Random(seed)
    vocab = _Vocabulary(rng)
    tags = _make_tags(vocab)
    tag_weights = list(_cumulative([1 / (rank + 1) for rank in range(len(tags))]))

    # How many highlights each article gets: log-normal weights, so most articles have a few,
    # some none, and a handful have a couple of hundred (heavily coded ones).
    weights = [rng.lognormvariate(0, 1.0) for _ in range(articles)]
    counts = [0] * articles
    for i in rng.choices(range(articles), weights=weights, k=highlights):
        counts[i] += 1
    insert_articles: dict[int, int] = {}
    for i in _spread(rng, articles, inserts):
        insert_articles[i] = insert_articles.get(i, 0) + 1

    workspace = Workspace(root / "workspace")
    workspace.ensure()
    ids: list[str] = []
    highlight_counts: dict[str, int] = {}
    specs: list[InsertSpec] = []
    baseline: dict[str, dict[str, Any]] = {}
    clock = 0
    total_words = verified = 0
    timings["vocabulary"] = time.perf_counter() - began

    mark = time.perf_counter()
    for index in range(articles):
        article, text, sentences, words = _build_article(
            rng, vocab, index, big_article_chars if index == 0 else 0
        )
        total_words += words
        file_text = article.to_file_text()
        workspace.article_file(article.id).write_text(file_text, encoding="utf-8")
        ids.append(article.id)
        if index % verify_every == 0 or index == articles - 1:
            shown = parse_article(article.id, file_text).display.text
            if shown != text:
                raise AssertionError(f"{article.id}: generated display text differs from render")
            verified += 1

        table: dict[str, dict[str, Any]] = {}
        for n in range(counts[index]):
            start, end = _pick_span(rng, text, sentences)
            selector = quote_selector(text, start, end)
            clock += rng.randint(5, 900)
            stamp = _stamp(clock)
            record = {
                "id": f"{rng.getrandbits(48):012x}",
                "article_id": article.id,
                "start": start,
                "end": end,
                "quote": selector.exact,
                "prefix": selector.prefix,
                "suffix": selector.suffix,
                "tags": list(_choose_tags(rng, tags, tag_weights)),
                "note": _note(rng, vocab),
                "color": rng.choice(TAG_PALETTE) if rng.random() < 0.05 else None,
                "created": stamp,
                "updated": stamp,
                "orphaned": False,
                "coder": "",
            }
            table[str(n + 1)] = record
            baseline[str(len(baseline) + 1)] = record
        if table:
            workspace.highlights_db(article.id).write_bytes(
                database_bytes({HIGHLIGHTS_TABLE: table})
            )
            highlight_counts[article.id] = len(table)

        for _ in range(insert_articles.get(index, 0)):
            start, end = _pick_span(rng, text, sentences)
            selector = quote_selector(text, start, end)
            specs.append(
                InsertSpec(
                    article_id=article.id,
                    start=start,
                    end=end,
                    quote=selector.exact,
                    prefix=selector.prefix,
                    suffix=selector.suffix,
                    tags=_choose_tags(rng, tags, tag_weights) or (tags[0],),
                    note=_note(rng, vocab),
                )
            )
    timings["articles and highlight files"] = time.perf_counter() - mark

    mark = time.perf_counter()
    if baseline:
        first = next(iter(baseline.values()))
        assert tuple(first) == _FIELDS, "record layout differs from Highlight"
    workspace_db = {
        "meta": {"1": {"key": "schema", "value": SCHEMA_VERSION}},
        "tags": {
            str(i + 1): Tag(name, TAG_PALETTE[i % len(TAG_PALETTE)]).to_dict()
            for i, name in enumerate(tags)
        },
    }
    workspace.workspace_db.write_bytes(database_bytes(workspace_db))
    baseline_path = root / "baseline.json"
    baseline_path.write_text(json.dumps({HIGHLIGHTS_TABLE: baseline}), encoding="utf-8")
    timings["baseline file"] = time.perf_counter() - mark

    # The measurement opens articles cold, as a reader opening a new article would: forget the
    # renders done while checking.
    render.cache_clear()
    rng.shuffle(specs)
    return GeneratedData(
        workspace=workspace,
        baseline_path=baseline_path,
        article_ids=ids,
        tags=tags,
        highlight_counts=highlight_counts,
        insert_specs=specs,
        big_article_id=ids[0],
        article_words=total_words,
        verified_articles=verified,
        seconds=time.perf_counter() - began,
        timings=timings,
    )


def check_store(data: GeneratedData, every: int = 1) -> int:
    """Read every ``every``-th article back through :class:`AnnotationStore` and check that its
    highlights are the ones written and quote the display text at their offsets. Returns how
    many articles were checked; raises ``AssertionError`` on a mismatch."""
    from annotations.store import AnnotationStore

    checked = 0
    with AnnotationStore(data.workspace) as store:
        if [t.name for t in store.tags()] != sorted(data.tags, key=str.casefold):
            raise AssertionError("workspace.json does not hold the generated tags")
        for article_id in data.article_ids[::every]:
            text = store.library.display(article_id).text
            found = store.highlights(article_id)
            if len(found) != data.highlight_counts.get(article_id, 0):
                raise AssertionError(f"{article_id}: wrong number of highlights")
            for h in found:
                if text[h.start : h.end] != h.quote or not h.quote.strip():
                    raise AssertionError(f"{article_id}: highlight {h.id} does not match its text")
            checked += 1
    render.cache_clear()
    return checked


def _cumulative(values: list[float]) -> list[float]:
    out, total = [], 0.0
    for v in values:
        total += v
        out.append(total)
    return out


def _spread(rng: random.Random, population: int, k: int) -> list[int]:
    """``k`` indices below ``population``, distinct while there are enough."""
    picked: list[int] = []
    while len(picked) < k:
        picked += rng.sample(range(population), min(population, k - len(picked)))
    return picked


DATA_FILE = "bench-data.json"


def save_data(data: GeneratedData, root: Path) -> None:
    """Write what :func:`load_data` needs to reuse this workspace in a later run."""
    record = {
        "article_ids": data.article_ids,
        "tags": data.tags,
        "highlight_counts": data.highlight_counts,
        "insert_specs": [s.__dict__ | {"tags": list(s.tags)} for s in data.insert_specs],
        "big_article_id": data.big_article_id,
        "article_words": data.article_words,
        "verified_articles": data.verified_articles,
        "seconds": data.seconds,
        "timings": data.timings,
    }
    (root / DATA_FILE).write_bytes(orjson.dumps(record))


def load_data(root: Path) -> GeneratedData:
    """The workspace a run with ``--out root`` generated. Its highlight counts are read again
    from the store: earlier runs added highlights to it."""
    from annotations.store import AnnotationStore

    raw = orjson.loads((root / DATA_FILE).read_bytes())
    workspace = Workspace(root / "workspace")
    with AnnotationStore(workspace) as store:
        counts = store.highlight_counts()
    return GeneratedData(
        workspace=workspace,
        baseline_path=root / "baseline.json",
        article_ids=raw["article_ids"],
        tags=raw["tags"],
        highlight_counts=counts,
        insert_specs=[
            InsertSpec(**(spec | {"tags": tuple(spec["tags"])})) for spec in raw["insert_specs"]
        ],
        big_article_id=raw["big_article_id"],
        article_words=raw["article_words"],
        verified_articles=raw["verified_articles"],
        seconds=raw["seconds"],
        timings=raw["timings"],
    )
