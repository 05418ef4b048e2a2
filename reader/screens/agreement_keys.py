"""The main screen's ``K``: the agreement screen (:mod:`reader.screens.agreement`), loaded on
first use like the other screens, and the pair of coders it compared last, for next time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.screens.coder_view import CoderViewKeys
from reader.screens.highlights import HighlightsKeys

if TYPE_CHECKING:
    from reader.screens.search import JumpTo


class AgreementKeys(CoderViewKeys, HighlightsKeys):
    """The main screen's ``K``: compare two coders, go to the passage chosen."""

    _agreement_pair: tuple[str, str] | None = None  # kept while the app runs

    def action_agreement(self) -> None:
        from reader.screens.agreement import AgreementScreen
        from reader.screens.search import JumpTo

        screen = AgreementScreen(self.store, self._agreement_pair)

        def done(result: JumpTo | None) -> None:
            self._agreement_pair = screen.pair or self._agreement_pair
            if isinstance(result, JumpTo):
                # Both coders' highlights are visible at the passage, whatever @ showed.
                self.show_all_coders()
                self.go_to(result)

        self.app.push_screen(screen, done)
