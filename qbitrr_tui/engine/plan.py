"""``Planned``: the actions decided for one torrent in one cycle, on their way to the guards
and the executor, and the events that say what became of them."""

from __future__ import annotations

from dataclasses import dataclass

from qbitrr_tui.engine.events import ActionEvent
from qbitrr_tui.engine.model import Action, Outcome, Rule, TorrentKey


@dataclass(frozen=True, slots=True)
class Planned:
    """The actions decided for one torrent this cycle."""

    instance: str
    hash: str
    name: str
    content_path: str
    rule: Rule | str  # a Rule, or "manual" for what the operator asked (engine/manual.py)
    reason: str
    actions: tuple[Action, ...]

    @property
    def key(self) -> TorrentKey:
        return (self.instance, self.hash)

    def event(
        self,
        action: Action,
        outcome: Outcome,
        now: float,
        *,
        dry_run: bool = False,
        error: str = "",
    ) -> ActionEvent:
        """What became of one of this plan's actions."""
        return ActionEvent(
            now,
            self.instance,
            self.hash,
            self.name,
            action,
            self.rule,
            self.reason,
            outcome,
            dry_run,
            error,
        )

    def events(
        self, outcome: Outcome, now: float, *, dry_run: bool = False, error: str = ""
    ) -> list[ActionEvent]:
        """One event per action of this plan, all with the same outcome."""
        return [self.event(a, outcome, now, dry_run=dry_run, error=error) for a in self.actions]
