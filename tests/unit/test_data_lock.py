"""One engine per DataFolder (two engines imported every download twice)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from qbitrr_tui.data_lock import engine_lock
from qbitrr_tui.errors import UserError


def test_second_engine_on_one_folder_is_refused_then_allowed(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; "
            "from qbitrr_tui.data_lock import engine_lock\n"
            "with engine_lock(Path(sys.argv[1])):\n print('locked', flush=True); time.sleep(30)",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        refused = pytest.raises(UserError, match=rf"pid {holder.pid}\) is running on DataFolder")
        with refused, engine_lock(tmp_path):
            pass
    finally:
        holder.kill()
        holder.wait()
    with engine_lock(tmp_path):  # the kernel dropped the dead holder's lock
        pass
    with engine_lock(tmp_path):  # and ours is released on leaving
        pass


def test_folder_that_cannot_be_made_is_one_line(tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("x")
    with pytest.raises(UserError, match="cannot use DataFolder"), engine_lock(afile / "data"):
        pass
