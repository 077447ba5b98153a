"""One ZIP of many stored certificate PDFs. No ORM here: the caller passes plain ``Entry``s.

* The PDFs are copied as stored (no re-rendering) and stored uncompressed (``ZIP_STORED``): a
  PDF is already compressed, so deflating it again costs time and saves nothing.
* Each PDF is checked against the SHA-256 recorded at issue; a missing or altered file stops
  the build with an error naming the certificate.
* File names are ``<serial> - <full name>.pdf`` in NFC, safe on Windows, with Vietnamese letters
  kept; Python's ``zipfile`` marks non-ASCII names as UTF-8 (general purpose flag bit 11), which
  Windows Explorer (10 and later), macOS Archive Utility and 7-Zip read.
* ``manifest.csv`` (UTF-8 with a byte order mark, so Excel shows the diacritics) comes last.
* Resumable: the ZIP grows in a partial file on the worker's disk. Every ``step`` files the
  archive is closed (so it is a valid ZIP of what it holds) and its central directory is kept
  beside it (``.tail``). A job that was killed and runs again cuts the partial file back to the
  last checkpoint, puts that central directory back and carries on from the next file, so every
  certificate is in the final ZIP exactly once.
* Reading and hashing run ahead in two threads (``hashlib`` and file reads release the GIL) while
  the main thread writes the archive: both cores are used without pickling megabytes of PDF
  between processes.
"""

import contextlib
import fcntl
import hashlib
import itertools
import math
import os
import re
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zipfile import ZIP_STORED, BadZipFile, ZipFile, ZipInfo

from django.core.files.storage import Storage
from django.utils.translation import gettext as _

from certificates.exceptions import CertificateError
from courses.spreadsheets import csv_text

MANIFEST_NAME = "manifest.csv"
PROGRESS_EVERY = 20  # files between checkpoints (more for big jobs: at most ~50 checkpoints)
MAX_CHECKPOINTS = 50
MAX_NAME_BYTES = 180  # UTF-8 bytes of a file name inside the ZIP, suffix included
READ_WORKERS = 2
READ_AHEAD = 8

# Not allowed in Windows file names, plus the path separators of every system.
_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)


class BulkDownloadError(CertificateError):
    code = "bulk_download_error"

    def describe(self) -> str:
        """The message in the active language (the job's, not the thread's that raised it)."""
        return str(self.message)


class StoredPdfError(BulkDownloadError):
    def __init__(self, *, serial: str, file_name: str) -> None:
        self.serial, self.file_name = serial, file_name
        super().__init__(self.describe())


class MissingPdf(StoredPdfError):
    code = "missing_pdf"

    def describe(self) -> str:
        return _(
            "The stored PDF of certificate %(serial)s could not be read (%(file)s is missing). "
            "Reissue the certificate or leave it out of the download."
        ) % {"serial": self.serial, "file": self.file_name or "-"}


class DamagedPdf(StoredPdfError):
    code = "damaged_pdf"

    def describe(self) -> str:
        return _(
            "The stored PDF of certificate %(serial)s (%(file)s) is not the file that was "
            "issued: its SHA-256 does not match."
        ) % {"serial": self.serial, "file": self.file_name}


@dataclass(frozen=True, slots=True)
class Entry:
    """One certificate in the ZIP: the snapshot taken at issue and where its PDF is stored."""

    serial: str
    full_name: str
    pdf_name: str
    sha256: str
    issued_on: date
    organisation: str = ""
    province: str = ""
    course_title: str = ""
    status: str = ""  # as shown to people (translated label)
    modified: datetime | None = None  # local time of issue: the file's date in the ZIP


# File names


def safe_filename(stem: str, suffix: str = ".pdf", *, max_bytes: int = MAX_NAME_BYTES) -> str:
    """``stem`` + ``suffix`` as a file name every system accepts, Vietnamese letters kept (NFC).

    Removes path separators, characters Windows forbids, control and invisible formatting
    characters (e.g. right-to-left overrides that disguise an extension); trims trailing dots and
    spaces; avoids reserved device names; shortens to ``max_bytes`` UTF-8 bytes.
    """
    text = unicodedata.normalize("NFC", stem)
    text = "".join(
        " " if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char
        for char in text
        if unicodedata.category(char) != "Cf"
    )
    text = " ".join(_FORBIDDEN.sub("_", text).split()).strip(" .")
    budget = max_bytes - len(suffix.encode())
    while len(text.encode()) > budget:
        text = text[:-1]
    text = text.rstrip(" .") or "_"
    if text.split(".")[0].upper() in _WINDOWS_RESERVED:
        text = "_" + text
    return text + suffix


def archive_names(entries: Sequence[Entry]) -> list[str]:
    """``<serial> - <full name>.pdf`` for each entry, unique ignoring case (as on Windows)."""
    names, seen = [], {MANIFEST_NAME.casefold()}
    for entry in entries:
        stem = f"{entry.serial} - {entry.full_name}" if entry.full_name else entry.serial
        name = safe_filename(stem)
        counter = 2
        while name.casefold() in seen:
            name = safe_filename(f"{stem} ({counter})")
            counter += 1
        seen.add(name.casefold())
        names.append(name)
    return names


# Manifest


def manifest_csv(entries: Sequence[Entry], names: Sequence[str]) -> bytes:
    """The list of what is in the ZIP: UTF-8 with BOM, comma-separated, CRLF line ends."""
    heading = [
        _("Serial number"),
        _("Full name"),
        _("Organisation"),
        _("Province"),
        _("Course"),
        _("Issued on"),
        _("Status"),
        "SHA-256",
        _("File"),
    ]
    rows = [
        [
            entry.serial,
            entry.full_name,
            entry.organisation,
            entry.province,
            entry.course_title,
            entry.issued_on.isoformat(),
            entry.status,
            entry.sha256,
            name,
        ]
        for entry, name in zip(entries, names, strict=True)
    ]
    return unicodedata.normalize("NFC", csv_text([heading, *rows])).encode("utf-8")


# Reading the stored PDFs


def read_pdf(storage: Storage, entry: Entry) -> bytes:
    """The stored PDF, checked against the hash recorded at issue."""
    if not entry.pdf_name:
        raise MissingPdf(serial=entry.serial, file_name="")
    try:
        with storage.open(entry.pdf_name, "rb") as handle:
            data = handle.read()
    except OSError as error:  # FileNotFoundError locally; remote storages raise other OSErrors
        raise MissingPdf(serial=entry.serial, file_name=entry.pdf_name) from error
    if entry.sha256 and hashlib.sha256(data).hexdigest() != entry.sha256:
        raise DamagedPdf(serial=entry.serial, file_name=entry.pdf_name)
    return data


def read_ahead[T, R](
    function: Callable[[T], R], items: Iterable[T], *, workers: int, window: int
) -> Iterator[R]:
    """``map(function, items)`` in order, with up to ``window`` calls running in threads."""
    if workers <= 1:
        yield from map(function, items)
        return
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="certificate-zip")
    try:
        iterator = iter(items)
        pending = deque(pool.submit(function, item) for item in itertools.islice(iterator, window))
        while pending:
            result = pending.popleft().result()
            pending.extend(pool.submit(function, item) for item in itertools.islice(iterator, 1))
            yield result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# The partial file and its checkpoints


def progress_step(total: int) -> int:
    return max(PROGRESS_EVERY, math.ceil(total / MAX_CHECKPOINTS))


def _tail_path(part: Path) -> Path:
    return part.with_name(part.name + ".tail")


@contextlib.contextmanager
def exclusive(part: Path) -> Iterator[bool]:
    """Hold a lock on ``part``'s build; yields False if another live process holds it.

    The operating system drops the lock when its process dies, so a killed worker never
    blocks the job that resumes it.
    """
    part.parent.mkdir(parents=True, exist_ok=True)
    with open(part.with_name(part.name + ".lock"), "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def discard(part: Path) -> None:
    """Remove the partial file, its checkpoint and its lock file."""
    for path in (part, _tail_path(part), part.with_name(part.name + ".lock")):
        path.unlink(missing_ok=True)


def _checkpoint(archive: ZipFile, part: Path) -> None:
    """Close the archive (a valid ZIP now) and keep its central directory beside it."""
    entries_end = archive.start_dir  # where zipfile writes the central directory
    archive.close()
    with part.open("rb") as handle:
        handle.seek(entries_end)
        tail = handle.read()
    tail_path = _tail_path(part)
    temporary = tail_path.with_name(tail_path.name + ".tmp")
    temporary.write_bytes(entries_end.to_bytes(8, "little") + tail)
    os.replace(temporary, tail_path)  # atomic: the old checkpoint or the new one, never half


def _restore(part: Path, expected: Sequence[str]) -> int:
    """Put the partial file back as it was at its last checkpoint; return how many files it
    holds (0: start again). Whatever a killed run wrote after the checkpoint is cut off."""
    tail_path = _tail_path(part)
    if not (part.exists() and tail_path.exists()):
        return 0
    data = tail_path.read_bytes()
    entries_end = int.from_bytes(data[:8], "little")
    try:
        if part.stat().st_size < entries_end:
            raise BadZipFile("partial file shorter than its checkpoint")
        with part.open("r+b") as handle:
            handle.truncate(entries_end)
            handle.seek(entries_end)
            handle.write(data[8:])
        with ZipFile(part) as archive:
            names = archive.namelist()
            if names != list(expected[: len(names)]) or archive.testzip() is not None:
                raise BadZipFile("partial file does not match the job")
    except (BadZipFile, OSError, EOFError):
        return 0
    return len(names)


def build_zip(
    entries: Sequence[Entry],
    *,
    part: Path,
    storage: Storage,
    created: datetime,
    on_checkpoint: Callable[[int], None] | None = None,
    after_file: Callable[[int], None] | None = None,
    step: int | None = None,
    read_workers: int = READ_WORKERS,
) -> Path:
    """Build (or finish building) the ZIP of ``entries`` at ``part`` and return its path.

    ``on_checkpoint(n)`` is called whenever the first ``n`` PDFs are safely in the file (on
    start, every ``step`` files, at the end). ``after_file(n)`` is called after each PDF is
    written: tests use it to kill a build half way. Hold ``exclusive(part)`` while calling this.
    """
    names = archive_names(entries)
    expected = [*names, MANIFEST_NAME]
    step = step or progress_step(len(entries))
    part.parent.mkdir(parents=True, exist_ok=True)
    done = _restore(part, expected)
    if done == len(expected):  # finished before, killed before it was handed over
        if on_checkpoint:
            on_checkpoint(len(entries))
        return part
    if done == 0:
        _tail_path(part).unlink(missing_ok=True)
    if on_checkpoint:
        on_checkpoint(done)

    pdfs = read_ahead(
        lambda entry: read_pdf(storage, entry),
        entries[done:],
        workers=read_workers,
        window=READ_AHEAD,
    )
    archive = ZipFile(part, "a" if done else "w", compression=ZIP_STORED)
    try:
        for index, data in enumerate(pdfs, start=done):
            archive.writestr(_info(names[index], entries[index].modified or created), data)
            written = index + 1
            if after_file:
                after_file(written)
            if written % step == 0 and written < len(entries):
                _checkpoint(archive, part)
                if on_checkpoint:
                    on_checkpoint(written)
                archive = ZipFile(part, "a", compression=ZIP_STORED)
        archive.writestr(_info(MANIFEST_NAME, created), manifest_csv(entries, names))
        _checkpoint(archive, part)
    finally:
        pdfs.close()  # stops the reading threads at once if the build failed
        archive.close()  # no-op after a checkpoint
    if on_checkpoint:
        on_checkpoint(len(entries))
    return part


def _info(name: str, when: datetime) -> ZipInfo:
    info = ZipInfo(name, date_time=max(when.timetuple()[:6], (1980, 1, 1, 0, 0, 0)))
    info.compress_type = ZIP_STORED
    info.external_attr = 0o644 << 16  # rw-r--r-- when unzipped on Unix
    return info
