"""Reading the files a user names (deal files, tables, lists): regular files only, of bounded size.

A FIFO would block a read forever and a device such as /dev/urandom never ends, so both are refused
before reading; a file larger than its limit is refused with the limit named. The limits are product
bounds, not law.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from fdiscreen.errors import FdiscreenError

#: the largest deal file, listing plan, case file or API body read (a real deal file is a few kilobytes)
DEAL_FILE_LIMIT = 20 * 2**20
#: the largest batch table or list (MOF list, watch list, graph CSV) read
TABLE_LIMIT = 2 * 2**30


def _mib(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB"


def check_readable(path: Path, expected: str, limit: int, option: str | None = None) -> int:
    """The size of a regular file the user named, or a one-line error naming it (and the option)."""
    name = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise FdiscreenError("no such file", file=name, path=option, expected=expected) from None
    except OSError as exc:
        raise FdiscreenError(f"cannot read: {exc.strerror}", file=name, path=option, expected=expected) from None
    if stat.S_ISDIR(info.st_mode):
        raise FdiscreenError("is a directory", file=name, path=option, expected=expected)
    if not stat.S_ISREG(info.st_mode):
        kind = "a FIFO (named pipe)" if stat.S_ISFIFO(info.st_mode) else "a device or socket"
        raise FdiscreenError(f"is {kind}, not a regular file", file=name, path=option, expected=expected)
    if info.st_size > limit:
        raise FdiscreenError(f"is {_mib(info.st_size)}, larger than the {_mib(limit)} limit", file=name, path=option, expected=expected)
    return info.st_size


def read_input(path: Path, expected: str, limit: int = DEAL_FILE_LIMIT, option: str | None = None) -> bytes:
    """The bytes of a regular file the user named, at most ``limit`` of them (checked again while
    reading, in case the file grows)."""
    check_readable(path, expected, limit, option)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise FdiscreenError(f"cannot read: {exc.strerror}", file=str(path), path=option, expected=expected) from None
    if len(data) > limit:
        raise FdiscreenError(f"grew beyond the {_mib(limit)} limit while being read", file=str(path), path=option, expected=expected)
    return data
