"""Whether an imported text is a new version of an article we hold, a copy of it, or another one.

:meth:`corpus.library.Library.add` asks this when an import shares its source or its URL with
an article but not its text. Two measures, both on the display text:

* ``length``: the new text's length over the old one's. A new version of an article is seldom
  less than half of it; a feed's summary, a paywall's teaser or a failed extraction is.
* ``shared``: the share of the shorter text's word triples that the other text also holds. A
  revision, a summary or a saved copy of the same article keeps most of its wording; another
  page that merely names the same canonical URL shares almost none.

A text is the *same article* when its title is the same (ignoring case and spacing) or it
shares at least :data:`SAME_ARTICLE_SHARE` of its wording. What happens then (the rules are in
``docs/architecture.md``, "Importing the same article again"):

* same source, same article, at least :data:`MIN_REVISION_LENGTH` of the old length: a
  revision, written over the article (after a backup of the old text);
* same article, no longer than what we hold (and, from the same source, under
  :data:`MIN_REVISION_LENGTH` of it): nothing to gain, so the article is ``kept`` as it is and
  the import adds nothing;
* anything else: another article, imported beside it under its own id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.article import Article

SAME_ARTICLE_SHARE = 0.5
MIN_REVISION_LENGTH = 0.5
_WORD = re.compile(r"\w+")


def _wording(words: list[str], size: int) -> set[tuple[str, ...]]:
    """The runs of ``size`` words in ``words``."""
    return set(zip(*(words[n:] for n in range(size)), strict=False))


def shared_wording(old: str, new: str) -> float:
    """The share of the shorter text's word triples that the other text holds too (of its
    words, when either text has fewer than three), ignoring case and punctuation."""
    old_words, new_words = _WORD.findall(old.casefold()), _WORD.findall(new.casefold())
    size = 3 if min(len(old_words), len(new_words)) >= 3 else 1
    old_runs, new_runs = _wording(old_words, size), _wording(new_words, size)
    smaller = min(len(old_runs), len(new_runs))
    return len(old_runs & new_runs) / smaller if smaller else 0.0


def _title_key(title: str) -> str:
    return " ".join(title.casefold().split())


@dataclass(frozen=True)
class Likeness:
    """How a new text compares with an article we hold (see the module docstring)."""

    old_length: int
    new_length: int
    same_title: bool
    shared: float

    @classmethod
    def of(cls, held: Article, new: Article) -> Likeness:
        old_text, new_text = held.display.text, new.display.text
        return cls(
            len(old_text),
            len(new_text),
            _title_key(held.title) == _title_key(new.title),
            shared_wording(old_text, new_text),
        )

    @property
    def length(self) -> float:
        """The new text's length as a share of the old one's."""
        return self.new_length / self.old_length if self.old_length else 1.0

    @property
    def same_article(self) -> bool:
        return self.same_title or self.shared >= SAME_ARTICLE_SHARE

    def is_revision(self) -> bool:
        """A new version of the article (asked only of an import from the same source)."""
        return self.same_article and self.length >= MIN_REVISION_LENGTH

    def adds_nothing(self) -> bool:
        """The same article, no longer than we hold it: a summary, a teaser, a partial copy."""
        return self.same_article and self.new_length <= self.old_length
