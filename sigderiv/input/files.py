"""Files the command line reads and writes: read within bounds, written whole or not at all.

A derivation to check is read from its file or standard input up to MAX_INPUT_BYTES and
MAX_INPUT_LINES (see :mod:`sigderiv.input.limits`); past either it is refused, so an endless
stream such as /dev/zero costs one megabyte, not all the memory there is.

Every writer (``derive -o``, ``plot -o``) writes into a temporary file beside the target and
renames it into place once it is complete: a full disk, a file-size limit or an error half-way
leaves the old file as it was and no temporary file behind. The rename is atomic on POSIX
(``os.replace`` within one folder), so a reader sees the old file or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from sigderiv.errors import LimitError, SigderivError
from sigderiv.input.limits import MAX_INPUT_BYTES, check_lines

__all__ = ["read_text", "replacing", "write_text"]


def read_text(stream: BinaryIO, what: str) -> str:
    """Return the UTF-8 text of ``stream`` (a BOM at the start is dropped), read within bounds.

    Raises LimitError past MAX_INPUT_BYTES or MAX_INPUT_LINES, and SigderivError for bytes
    that are not UTF-8; ``what`` names the source in the message ("notes.txt").
    """
    data = stream.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise LimitError(
            f"{what} is longer than {MAX_INPUT_BYTES} bytes; the limit is "
            f"MAX_INPUT_BYTES = {MAX_INPUT_BYTES}"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SigderivError(f"cannot read {what}: it is not UTF-8 text") from None
    check_lines(text.count("\n") + 1, what)
    return text


def _umask() -> int:
    """Return this process's umask (Linux reads it; elsewhere it is set back at once)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def replacing(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` to write; rename it over ``path`` on success.

    The temporary file keeps ``path``'s extension (matplotlib picks the format by it). When
    the body raises, the temporary file is removed and ``path`` is untouched. A symbolic link
    is written through (its target is replaced); a target that is not a regular file (a
    device such as /dev/null, a named pipe) is written directly, since it cannot be renamed.
    """
    target = Path(os.path.realpath(path))
    try:
        mode: int | None = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        yield target
        return
    fd, name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=target.suffix or ".tmp"
    )
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())  # on disk before it takes the old file's place
        os.chmod(temporary, stat.S_IMODE(mode) if mode is not None else 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` as UTF-8, whole or not at all (see :func:`replacing`)."""
    with replacing(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
