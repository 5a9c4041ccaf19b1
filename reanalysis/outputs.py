"""The output set (``results/`` and ``figures/``), replaced all or nothing.

A run writes its whole set into a staging folder beside them, marks it complete, and only then swaps each
folder in by a rename. A run killed while it writes the staging folder leaves the old set untouched; one
killed while it swaps leaves a journal (the complete staging folder and the old folders set aside) that the
next run finishes before it does anything else, so the set on disk is always wholly old or wholly new once
any run has started. A lock keeps two runs from interleaving, and a folder swapped in whole takes no stale
file of a removed paper or renamed figure with it.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

FOLDERS = ("results", "figures")
STAGING = ".reanalysis-staging"  # the new set, being written; holds COMPLETE once it is whole
REPLACED = ".reanalysis-replaced"  # the old folders, set aside during the swap
LOCK = ".reanalysis.lock"


def publish(root: Path, files: dict, keep: tuple = ()) -> None:
    """Replace the output set under ``root`` with ``files`` (``{path: text}``, every path inside one of
    :data:`FOLDERS`), carrying over the current files named in ``keep`` (paths relative to ``root``)."""
    root = Path(root)
    with locked(root):
        _recover(root)
        staging = root / STAGING
        shutil.rmtree(staging, ignore_errors=True)
        for folder in FOLDERS:
            (staging / folder).mkdir(parents=True)
        for rel in keep:
            if (root / rel).is_file():
                (staging / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(root / rel, staging / rel)
        mask = os.umask(0)
        os.umask(mask)
        for path, text in files.items():
            rel = Path(path).relative_to(root)
            if rel.parts[0] not in FOLDERS:
                raise ValueError(f"output {rel} is outside {' and '.join(FOLDERS)}")
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(target, 0o666 & ~mask)
        _sync(staging / "COMPLETE")
        _swap(root)


def recover(root: Path) -> None:
    """Finish, or undo, a replacement a killed run left half done (nothing to do after a clean run)."""
    root = Path(root)
    if (root / STAGING).exists() or (root / REPLACED).exists():
        with locked(root):
            _recover(root)


@contextmanager
def locked(root: Path):
    """Hold the project's output lock: a second run waits for the first to finish."""
    with open(Path(root) / LOCK, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _recover(root: Path) -> None:
    if (root / STAGING / "COMPLETE").exists():
        _swap(root)
        return
    aside = root / REPLACED
    for folder in FOLDERS:  # a swap never starts without COMPLETE; these are only a leftover's, put back
        if (aside / folder).exists() and not (root / folder).exists():
            os.replace(aside / folder, root / folder)
    shutil.rmtree(aside, ignore_errors=True)
    shutil.rmtree(root / STAGING, ignore_errors=True)


def _swap(root: Path) -> None:
    """Move each complete staged folder into place, the old one aside; safe to repeat after a kill."""
    staging, aside = root / STAGING, root / REPLACED
    aside.mkdir(exist_ok=True)
    for folder in FOLDERS:
        if not (staging / folder).exists():
            continue  # already swapped in
        if (root / folder).exists() or (root / folder).is_symlink():
            _remove(aside / folder)
            os.replace(root / folder, aside / folder)
        os.replace(staging / folder, root / folder)
    shutil.rmtree(aside)
    shutil.rmtree(staging)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _sync(marker: Path) -> None:
    with open(marker, "w") as f:
        os.fsync(f.fileno())
