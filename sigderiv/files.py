"""Files the command line writes: whole or not at all, never a half-written page.

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

__all__ = ["replacing", "write_text"]


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
