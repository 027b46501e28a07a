"""The engine's words agree with those the dashboard styles and the database stores."""

from __future__ import annotations

from typing import get_args

from qbitrr_tui.engine.events import ActionEvent
from qbitrr_tui.engine.model import Outcome, Rule
from qbitrr_tui.tui.format import RULE_KINDS


def test_every_styled_rule_is_a_rule_and_every_rule_but_ok_has_a_style() -> None:
    assert set(RULE_KINDS) <= set(Rule), "a style for a rule that does not exist"
    assert set(Rule) - set(RULE_KINDS) == {Rule.OK}


def test_rules_are_the_strings_shown_and_stored() -> None:
    assert str(Rule.SEEDING) == "seeding" and f"{Rule.SEEDING_DONE}" == "seeding_done"
    assert Rule("free_space") is Rule.FREE_SPACE  # as read back from the database


def test_outcomes() -> None:
    assert set(get_args(Outcome)) == {"planned", "applied", "failed", "held"}
    assert ActionEvent.__annotations__["outcome"] == "Outcome"
