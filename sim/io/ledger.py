"""Which files flashpoint wrote: recognised by the hash recorded when writing them, never by a mark.

The rule (README, "Your files are safe"): a command replaces a file only if flashpoint recorded
writing exactly those bytes. A file's record is its size and SHA-256, kept

* in a results folder's ``provenance.json`` (``sha256``: name -> hash) for the files of a run,
  a sweep, a comparison or a calibration, and for the figures and reports later written into it;
* in a hidden ``.flashpoint-files.json`` beside a loose file that ``plot --out`` or
  ``report --out`` wrote anywhere else (only flashpoint writes it; a user's copy of it that does
  not parse, or that records other hashes, recognises nothing).

A user's file that mentions flashpoint, carries its figure metadata or has a result file's name is
not recognised: only its bytes, hashed, can match. Devices, pipes and links are never ours (and
are never read). Hashing reads a file only when its size matches the record.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path

from ..scenario.errors import OutputError
from .files import RESULT_FILES, atomic_write_text, locked

LEDGER = ".flashpoint-files.json"
"""The record of loose files flashpoint wrote into a folder that is not a results folder."""

_LEDGER_MAX_BYTES = 4_000_000
PROVENANCE_MAX_BYTES = 1_000_000


def file_hash(path: Path) -> str:
    """The SHA-256 of a regular file's bytes, as hex."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def record_of(path: Path) -> dict:
    """What the ledger keeps for a file just written: its size and hash."""
    return {"size": path.stat().st_size, "sha256": file_hash(path)}


def matches(path: Path, record: object) -> bool:
    """Whether ``path`` is a regular file holding exactly the bytes ``record`` describes."""
    if not isinstance(record, dict):
        return False
    try:
        st = os.lstat(path)
    except OSError:
        return False
    if not stat.S_ISREG(st.st_mode) or st.st_size != record.get("size"):
        return False
    try:
        return file_hash(path) == record.get("sha256")
    except OSError:
        return False


def _read_json(path: Path, max_bytes: int = _LEDGER_MAX_BYTES) -> dict | None:
    """A JSON object from a regular file of at most ``max_bytes`` (no links), or None."""
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > max_bytes:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _ledger(folder: Path) -> dict:
    data = _read_json(folder / LEDGER)
    files = data.get("files") if data is not None and data.get("kind") == "flashpoint files" \
        else None
    return files if isinstance(files, dict) else {}


def read_provenance(folder: Path) -> dict | None:
    """A results folder's ``provenance.json`` when flashpoint wrote it with its files' hashes.

    None for no such file, a link, more than :data:`PROVENANCE_MAX_BYTES`, text that is not a
    JSON object naming a flashpoint version, or a provenance that records no ``sha256`` (a
    result of a version before the hashes, which is then the user's).
    """
    data = _read_json(folder / "provenance.json", PROVENANCE_MAX_BYTES)
    if data is None or "flashpoint_version" not in data or not isinstance(data.get("sha256"), dict):
        return None
    return data


def _provenance_records(folder: Path) -> dict:
    data = read_provenance(folder)
    return data["sha256"] if data is not None else {}


def is_ours(path: str | Path) -> bool:
    """Whether flashpoint recorded writing exactly the bytes now at ``path``."""
    path = Path(path)
    folder, name = path.parent, path.name
    for records in (_provenance_records(folder), _ledger(folder)):
        if name in records and matches(path, records[name]):
            return True
    return False


def check_output_file(path: str | Path, option: str = "--out") -> Path:
    """Refuse (before computing) a file target flashpoint may not write.

    Allowed: a new file in an existing, writable folder, or a file whose bytes flashpoint
    recorded writing.

    Raises:
        OutputError: a folder, a device, a link, a user's file, a missing or read-only folder.
    """
    path = Path(os.path.abspath(path))
    folder = path.parent
    if path.name in ("", ".", ".."):
        raise OutputError(f"{option} {path}: name a file; nothing was written")
    if not folder.is_dir():
        raise OutputError(f"{option} {path}: the folder {folder} does not exist; create it or "
                          "name another; nothing was written")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{option} {path}: the folder {folder} is not writable; nothing was "
                          "written")
    if path.is_symlink():
        raise OutputError(f"{option} {path}: is a symbolic link; flashpoint never writes through "
                          "links; nothing was written")
    if path.is_dir():
        raise OutputError(f"{option} {path}: is a folder; name a file inside it; nothing was "
                          "written")
    if path.exists() and not is_ours(path):
        raise OutputError(f"{option} {path}: exists and flashpoint did not write it (or it was "
                          "changed since); flashpoint never overwrites files it did not write: "
                          "name a new file, or move this one; nothing was written")
    return path


def publish(target: str | Path, write: Callable[[Path], object] | str, option: str = "--out") -> Path:
    """Write a loose file safely, and record its hash.

    ``write(tmp)`` fills a temporary sibling (``write`` may also be the text itself, written as
    UTF-8), which then replaces ``target`` only if ``target`` is new or still holds bytes
    flashpoint wrote; the file's hash is recorded (in the folder's ``provenance.json`` when it is
    a results folder, else in its ``.flashpoint-files.json``).

    Raises:
        OutputError: see :func:`check_output_file`; nothing is left behind.
    """
    target = check_output_file(target, option)
    folder = target.parent
    # the suffix kept last: figure writers take the format from it
    tmp = folder / (f".{target.stem}.flashpoint-tmp-{os.getpid()}-{secrets.token_hex(4)}"
                    f"{target.suffix}")
    try:
        if isinstance(write, str):
            tmp.write_text(write, encoding="utf-8")
        else:
            write(tmp)
        record = record_of(tmp)
        with locked(folder):
            check_output_file(target, option)  # again, under the lock: nothing changed meanwhile
            _check_ledger(folder)
            os.replace(tmp, target)
            remember(folder, target.name, record)
    except OSError as exc:
        raise OutputError(f"{option} {target}: writing failed ({exc.strerror or exc}); nothing "
                          "was written") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return target


def remember(folder: Path, name: str, record: dict) -> None:
    """Record that flashpoint wrote ``folder/name`` with ``record`` (caller holds the lock)."""
    prov = folder / "provenance.json"
    data = read_provenance(folder)
    if data is not None and name in RESULT_FILES:
        data["sha256"][name] = record
        files = data.get("files") if isinstance(data.get("files"), list) else []
        if name not in files:
            data["files"] = sorted([*files, name])
        atomic_write_text(prov, json.dumps(data, indent=2))
        return
    _check_ledger(folder)
    files = _ledger(folder)
    files[name] = record
    atomic_write_text(folder / LEDGER, json.dumps({"kind": "flashpoint files", "files": files},
                                                  indent=2))


def _check_ledger(folder: Path) -> None:
    """Refuse to write a record over a ``.flashpoint-files.json`` that is not flashpoint's."""
    ledger = folder / LEDGER
    if not (ledger.exists() or ledger.is_symlink()):
        return
    data = _read_json(ledger)
    if ledger.is_symlink() or data is None or data.get("kind") != "flashpoint files":
        raise OutputError(f"{ledger}: exists and is not flashpoint's record of its files; "
                          "flashpoint does not overwrite it; nothing was written")

