"""The recycle bin on disk (engine/recycle_bin.py) and restore's one-line errors."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from qbitrr_tui.cli import main
from qbitrr_tui.engine import recycle_bin as rb
from qbitrr_tui.engine.recycle_bin import DAY, BinEntry, RecycleBin, move_data, move_destination

HASH = "ab" * 20


def entry(save: Path, **changes: object) -> BinEntry:
    made = BinEntry(
        "default",
        HASH,
        "Movie",
        "radarr",
        ("x",),
        str(save),
        str(save / "Movie"),
        10,
        1000.0,
        "why",
    )
    return replace(made, **changes)  # type: ignore[arg-type]


def content(save: Path) -> Path:
    (save / "Movie").mkdir(parents=True)
    (save / "Movie" / "m.mkv").write_bytes(b"0123456789")
    return save / "Movie"


def test_an_entry_is_keyed_by_its_torrent_so_saving_twice_keeps_one(tmp_path: Path) -> None:
    recycle = RecycleBin(tmp_path / "data")
    recycle.save(entry(tmp_path))
    recycle.save(entry(tmp_path, why="again"))
    assert [e.why for e in recycle.entries()] == ["again"]
    assert recycle.find(HASH.upper()) == recycle.entries()
    with pytest.raises(ValueError, match="not a torrent hash"):
        recycle.folder("default", "../../etc")


def test_data_is_moved_once_and_a_repeat_after_a_crash_sees_it_done(tmp_path: Path) -> None:
    source = content(tmp_path / "dl")
    planned = entry(tmp_path / "dl", moved_to=str(move_destination(entry(tmp_path / "dl"))))
    moved, why = move_data(planned)
    assert why == "" and moved.data == "moved" and not source.exists()
    assert Path(moved.moved_to, "m.mkv").read_bytes() == b"0123456789"
    again, why = move_data(planned)  # the record still said "moving"
    assert (again.data, again.moved_to, why) == ("moved", moved.moved_to, "")


def test_data_on_another_file_system_stays_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = content(tmp_path / "dl")
    real = rb.device

    def device(path: Path) -> int:
        return real(path) + (1 if rb.DATA_FOLDER in str(path) else 0)

    monkeypatch.setattr(rb, "device", device)
    kept, why = move_data(entry(tmp_path / "dl"))
    assert kept.data == "kept" and "another file system" in why
    assert (source / "m.mkv").exists()


def test_a_content_path_that_is_its_save_path_is_never_moved(tmp_path: Path) -> None:
    content(tmp_path / "dl")
    kept, why = move_data(entry(tmp_path / "dl", content_path=str(tmp_path / "dl")))
    assert kept.data == "kept" and "not inside its save path" in why


def test_purge_removes_entries_past_their_days_with_their_moved_data(tmp_path: Path) -> None:
    recycle = RecycleBin(tmp_path / "data")
    moved, _ = move_data(entry(tmp_path / "dl", moved_to=""))  # no content: kept
    content(tmp_path / "dl")
    moved, _ = move_data(entry(tmp_path / "dl"))
    recycle.save(moved)
    assert recycle.purge(1000.0 + 2 * DAY - 1, days=2) == []
    assert recycle.purge(1000.0 + 2 * DAY, days=2) == [moved]
    assert recycle.entries() == [] and not Path(moved.moved_to).exists()


def config_file(tmp_path: Path) -> str:
    path = tmp_path / "c.toml"
    path.write_text(f'[Settings]\nDataFolder = "{tmp_path / "data"}"\n[qBit]\nPort = 1\n')
    return str(path)


def test_restore_says_one_line_for_every_mistake(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = config_file(tmp_path)
    assert main(["restore", "--config", path, "abc123"]) == 2
    assert main(["restore", "--config", path, "not-a-hash"]) == 2
    assert main(["restore", "--config", path]) == 2
    RecycleBin(tmp_path / "data").save(entry(tmp_path, instance="gone"))
    assert main(["restore", "--config", path, HASH[:8]]) == 2
    errors = capsys.readouterr().err.splitlines()
    assert errors == [
        "qbitrr-tui: no recycle-bin entry matches abc123",
        "qbitrr-tui: 'not-a-hash' is not a torrent hash (40 or 64 hex digits)",
        "qbitrr-tui: restore needs a torrent HASH (see `qbitrr-tui restore --list`)",
        "qbitrr-tui: instance 'gone' of Movie is not in the config",
    ]


def test_restore_to_an_instance_that_is_down_fails_with_status_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = config_file(tmp_path)
    RecycleBin(tmp_path / "data").save(entry(tmp_path))
    assert main(["restore", "--config", path, "--list"]) == 0
    listed = capsys.readouterr().out
    assert HASH in listed and "1 entry; 0 B of data held" in listed
    assert main(["restore", "--config", path, HASH]) == 1
    (error,) = capsys.readouterr().err.splitlines()
    assert error.startswith("qbitrr-tui: cannot reach instance 'default'"), error
