"""TorrentMemory: one record per (instance, hash), forgotten all at once."""

from __future__ import annotations

from qbitrr_tui.engine.memory import Present, Reusable, TorrentMemory
from qbitrr_tui.engine.model import Decision, Rule, StoredState
from tests.unit.rule_helpers import NOW, complete

A = ("default", "a" * 40)
B = ("default", "b" * 40)
SEEDBOX = ("seedbox", "c" * 40)


def full_record(memory: TorrentMemory, key: tuple[str, str]) -> None:
    record = memory.record(key)
    torrent = complete(hash=key[1])
    state = StoredState(first_seen=NOW)
    record.state = state
    record.rule, record.reason = Rule.SEEDING, "seeding"
    record.reusable = Reusable.of(torrent.steady, state, (), Decision(Rule.SEEDING, "seeding"))
    record.planned = ("pause",)
    record.row_source = torrent


def test_forget_drops_everything_about_a_torrent_and_nothing_else() -> None:
    memory = TorrentMemory()
    full_record(memory, A)
    full_record(memory, B)
    memory.forget([A])
    assert memory.get(A) is None and A not in memory
    assert memory.state(A) is None and A not in memory.states
    assert memory.planned([A, B]) == {B: ("pause",)}
    kept = memory.get(B)
    assert kept is not None and kept.reusable is not None and kept.row_source is not None
    assert len(memory) == 1 and len(memory.states) == 1


def test_loaded_states_are_remembered() -> None:
    state = StoredState(first_seen=NOW, imported=True)
    memory = TorrentMemory({A: state})
    assert memory.state(A) is state and dict(memory.states) == {A: state}


def test_forgetting_reuse_or_plans_keeps_the_rest() -> None:
    memory = TorrentMemory()
    full_record(memory, A)
    memory.forget_reusable()
    memory.forget_planned()
    record = memory.get(A)
    assert record is not None
    assert record.reusable is None and record.planned is None
    assert record.state is not None and record.rule == "seeding" and record.row_source


def test_commit_remembers_and_forgets_what_left() -> None:
    memory = TorrentMemory({A: StoredState(first_seen=1), B: StoredState(first_seen=2)})
    memory.record(SEEDBOX).state = StoredState(first_seen=3)
    new = {A: StoredState(first_seen=1, last_rule="seeding")}
    gone = memory.commit(
        new,
        present={A},
        read={"default"},  # seedbox was not read this cycle: its torrents stay
        undone=[],
        imported=[],
        deleted=[],
        now=NOW,
    )
    assert gone == {B}
    assert memory.state(A) == StoredState(first_seen=1, last_rule="seeding")
    assert memory.get(B) is None and memory.state(SEEDBOX) is not None


def test_commit_keeps_only_the_observations_of_what_was_not_done() -> None:
    before = StoredState(first_seen=1, category="radarr")
    memory = TorrentMemory({A: before})
    decided = StoredState(
        first_seen=1, category="radarr", allowed_seeding=True, last_rule="seeding"
    )
    new = {A: decided}
    memory.commit(new, present={A}, read={"default"}, undone=[A], imported=[], deleted=[], now=NOW)
    # Seen (the rule) is remembered; done (the tag) is not, since it was not carried out.
    assert new[A] == StoredState(first_seen=1, category="radarr", last_rule="seeding")
    assert memory.state(A) == new[A]


def test_commit_marks_imports_and_forgets_deletions() -> None:
    memory = TorrentMemory({A: StoredState(first_seen=1), B: StoredState(first_seen=2)})
    new: dict[tuple[str, str], StoredState] = {B: StoredState(first_seen=2, last_rule="stalled")}
    gone = memory.commit(
        new, present={A, B}, read={"default"}, undone=[], imported=[A], deleted=[B], now=NOW
    )
    assert gone == {B} and B not in new and memory.get(B) is None
    state = memory.state(A)
    assert state is not None and state.imported and state.import_requested_at == NOW


def commit_undone(memory: TorrentMemory, new: StoredState) -> dict[tuple[str, str], StoredState]:
    """A cycle whose plan for A was not carried out (dry-run): what is left to write."""
    new_states = {A: new}
    memory.commit(
        new_states, present=[A], read=["default"], undone=[A], imported=(), deleted=(), now=NOW
    )
    return new_states


def test_a_plan_not_carried_out_writes_nothing_when_nothing_new_was_seen() -> None:
    """A dry-run import planned again every cycle: its state is neither written again nor
    replaced by an equal copy (the decision cache compares states by identity)."""
    known = StoredState(first_seen=NOW, stalled_since=NOW - 60, last_rule="import")
    memory = TorrentMemory({A: known})
    done_in_dry_run = known.with_changes(import_requested_at=NOW, last_reason="would import")
    assert commit_undone(memory, done_in_dry_run) == {}
    assert memory.state(A) is known


def test_a_plan_not_carried_out_keeps_what_was_observed() -> None:
    known = StoredState(first_seen=NOW, last_rule="stalled")
    memory = TorrentMemory({A: known})
    seen = known.with_changes(stalled_since=NOW, import_requested_at=NOW)
    written = commit_undone(memory, seen)[A]
    assert written.stalled_since == NOW and written.import_requested_at is None
    assert memory.state(A) is written


def test_a_read_counted_per_instance_finds_what_left_even_when_as_many_came() -> None:
    """With the cycle's reads as a Present, an instance whose records are as many as its
    torrents read has none gone; one torrent leaving as another comes is still found (the
    newcomer has a record by then: the decider made it)."""
    a, b, c = (complete(hash=h * 40) for h in "abc")
    memory = TorrentMemory({A: StoredState(first_seen=1), B: StoredState(first_seen=2)})
    memory.record(SEEDBOX)

    def commit(*torrents: object) -> set[tuple[str, str]]:
        present = Present({"default": torrents, "seedbox": ()})  # type: ignore[dict-item]
        for t in torrents:
            memory.record(t.key)  # type: ignore[attr-defined]
        return memory.commit(
            {}, present=present, read={"default"}, undone=[], imported=[], deleted=[], now=NOW
        )

    assert commit(a, b) == set() and len(memory) == 3
    assert commit(a, c) == {B}
    assert commit(c) == {A}
    assert memory.get(SEEDBOX) is not None and memory.get(c.key) is not None
