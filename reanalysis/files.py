"""Reading an input file: a regular file, inside its paper's folder, under a size limit.

A symlink that leads out of the paper's folder, a folder, a FIFO or a device where a file should be,
and a file larger than :data:`MAX_BYTES` are refused before a byte is read, so a run cannot hang on a
pipe, exhaust memory on an endless device, or quote a file it was never meant to open.
"""

from __future__ import annotations

import stat
from pathlib import Path

MAX_BYTES = 5 * 2 ** 20  # 5 MiB, 1,000 times the largest table here (5 KB); loading one takes 3.5 s, peak +39 MiB


def read_bytes(path: Path, what: str, error: type, inside: Path | None = None) -> bytes:
    """The bytes of ``path``, or ``error`` with one line naming it and saying why it was refused.

    Parameters
    ----------
    path : Path
    what : str
        What the file is, for the message ("datapackage.json", "a table listed as 'arms'").
    error : type
        The exception class to raise (:class:`~reanalysis.errors.DataError` or ``ClaimError``).
    inside : Path, optional
        The folder the file must resolve into, symlinks followed.
    """
    resolved = Path(path).resolve()
    if inside is not None and not resolved.is_relative_to(Path(inside).resolve()):
        raise error(f"{path}: {what} resolves outside {inside} (through a symlink?); keep it inside the paper's folder")
    try:
        info = resolved.stat()
    except FileNotFoundError:
        raise error(f"{path}: file not found ({what})") from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (a FIFO, socket or device)"
        raise error(f"{path}: {what} is {kind}; expected a file")
    if info.st_size > MAX_BYTES:
        raise error(f"{path}: {what} is {info.st_size:,} bytes, above the limit of {MAX_BYTES:,}")
    return resolved.read_bytes()
