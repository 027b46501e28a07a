"""memory_trim: glibc's malloc_trim where there is one (this machine's Linux is glibc)."""

from __future__ import annotations

import platform

from qbitrr_tui import memory_trim


def rss_kib() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))


def test_freed_memory_goes_back_to_the_system_on_glibc() -> None:
    """Many medium blocks (glibc's heap, not mmap) freed but the last: without a trim the
    heap cannot shrink below that last block, and keeps the freed pages resident."""
    assert platform.libc_ver()[0] == "glibc"  # the machines this project supports
    assert memory_trim.available
    blocks = [bytearray(64 * 1024 - 64) for _ in range(1600)]  # ~100 MiB under the mmap size
    keep = bytearray(64 * 1024 - 64)  # allocated last: the heap's top stays in use
    del blocks
    before = rss_kib()
    memory_trim.trim()
    assert before - rss_kib() > 50 * 1024, "trim gave back less than 50 MiB"
    del keep
