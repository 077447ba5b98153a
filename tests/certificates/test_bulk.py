"""certificates.bulk builds ZIPs from files: no database here."""

import csv
import hashlib
import io
import unicodedata
import zipfile
from datetime import date, datetime

import pytest
from django.core.files.storage import FileSystemStorage

from certificates import bulk
from certificates.bulk import Entry, archive_names, build_zip, manifest_csv, safe_filename

CREATED = datetime(2024, 7, 12, 9, 30)


class Killed(BaseException):
    """A worker killed mid-way: not an error the build could catch and report."""


def make_entries(storage, names) -> list[Entry]:
    entries = []
    for number, name in enumerate(names, start=1):
        serial = f"TTĐN1-2024-{number:06d}"
        data = b"%PDF-1.7\n" + serial.encode() + bytes(range(256)) * 20
        pdf_name = storage.save(f"certificates/2024/{number}.pdf", io.BytesIO(data))
        entries.append(
            Entry(
                serial=serial,
                full_name=name,
                pdf_name=pdf_name,
                sha256=hashlib.sha256(data).hexdigest(),
                issued_on=date(2024, 7, 11),
                organisation="Sở Văn hóa, Thể thao và Du lịch tỉnh Phú Thọ",
                province="Phú Thọ",
                course_title="Thông tin đối ngoại",
                status="Hợp lệ",
                modified=datetime(2024, 7, 11, 15, 0),
            )
        )
    return entries


@pytest.fixture
def storage(tmp_path):
    return FileSystemStorage(location=tmp_path / "media")


def names_of(count: int) -> list[str]:
    return [f"Nguyễn Thị Ánh Tuyết {n}" for n in range(count)]


def read_zip(path):
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        return archive.infolist(), {i.filename: archive.read(i) for i in archive.infolist()}


def manifest_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


# Names


def test_names_keep_vietnamese_letters_in_nfc():
    decomposed = unicodedata.normalize("NFD", "TTĐN-2024-000001 - Đặng Thị Ngọc Hân")
    assert safe_filename(decomposed) == "TTĐN-2024-000001 - Đặng Thị Ngọc Hân.pdf"
    assert unicodedata.is_normalized("NFC", safe_filename(decomposed))


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ('A/B\\C:D*E?F"G<H>I|J', "A_B_C_D_E_F_G_H_I_J.pdf"),
        ("../../etc/passwd", "_.._etc_passwd.pdf"),
        ("Tên  có\ttab\nvà xuống dòng", "Tên có tab và xuống dòng.pdf"),
        ("Trailing dots...  ", "Trailing dots.pdf"),
        ("CON", "_CON.pdf"),
        ("com1.backup", "_com1.backup.pdf"),
        ("evil\u202efdp.exe", "evilfdp.exe.pdf"),  # right-to-left override removed
        ("", "_.pdf"),
    ],
)
def test_names_are_safe_on_windows(stem, expected):
    assert safe_filename(stem) == expected


def test_long_names_are_cut_to_a_byte_budget_without_splitting_a_letter():
    name = safe_filename("Ước " * 100, max_bytes=60)
    assert len(name.encode()) <= 60
    assert name.endswith(".pdf") and not name.endswith(" .pdf")
    name.encode().decode()  # whole characters only


def test_names_are_serial_dash_name_and_unique_ignoring_case(storage):
    entries = make_entries(storage, ["Lê Văn A", "Lê Văn A"])
    entries[1] = Entry(**{**_fields(entries[1]), "serial": entries[0].serial.lower()})
    names = archive_names(entries)
    assert names[0] == "TTĐN1-2024-000001 - Lê Văn A.pdf"
    assert names[1] == "ttđn1-2024-000001 - Lê Văn A (2).pdf"


def _fields(entry: Entry) -> dict:
    return {name: getattr(entry, name) for name in Entry.__slots__}


# Manifest


def test_manifest_is_utf8_with_bom_and_neutralises_formulas(storage):
    entries = make_entries(storage, ["=HYPERLINK(1)", "Đặng Thị Ngọc Hân"])
    rows = manifest_rows(manifest_csv(entries, archive_names(entries)))
    assert len(rows) == 3
    assert rows[1][1] == "'=HYPERLINK(1)"
    assert rows[2][:8] == [
        "TTĐN1-2024-000002",
        "Đặng Thị Ngọc Hân",
        "Sở Văn hóa, Thể thao và Du lịch tỉnh Phú Thọ",
        "Phú Thọ",
        "Thông tin đối ngoại",
        "2024-07-11",
        "Hợp lệ",
        entries[1].sha256,
    ]


# Building


def test_zip_holds_each_pdf_once_stored_uncompressed_with_utf8_names(storage, tmp_path):
    entries = make_entries(storage, names_of(7))
    checkpoints = []
    path = build_zip(
        entries,
        part=tmp_path / "work" / "job.zip.part",
        storage=storage,
        created=CREATED,
        on_checkpoint=checkpoints.append,
        step=3,
    )
    infos, files = read_zip(path)
    assert [i.filename for i in infos] == [*archive_names(entries), "manifest.csv"]
    assert all(i.compress_type == zipfile.ZIP_STORED for i in infos)
    assert all(i.flag_bits & 0x800 for i in infos[:-1])  # UTF-8 names
    assert infos[0].date_time == (2024, 7, 11, 15, 0, 0)
    for entry, name in zip(entries, archive_names(entries), strict=True):
        assert hashlib.sha256(files[name]).hexdigest() == entry.sha256
    assert checkpoints == [0, 3, 6, 7]
    rows = manifest_rows(files["manifest.csv"])
    assert [row[0] for row in rows[1:]] == [entry.serial for entry in entries]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_missing_pdf_stops_the_build_naming_the_certificate(storage, tmp_path, workers):
    entries = make_entries(storage, names_of(5))
    storage.delete(entries[3].pdf_name)
    with pytest.raises(bulk.MissingPdf) as raised:
        build_zip(
            entries,
            part=tmp_path / "job.zip.part",
            storage=storage,
            created=CREATED,
            read_workers=workers,
        )
    assert raised.value.serial == entries[3].serial
    assert entries[3].serial in raised.value.describe()


def test_an_altered_pdf_stops_the_build(storage, tmp_path):
    entries = make_entries(storage, names_of(2))
    with storage.open(entries[1].pdf_name, "wb") as handle:
        handle.write(b"%PDF-1.7 something else")
    with pytest.raises(bulk.DamagedPdf):
        build_zip(entries, part=tmp_path / "job.zip.part", storage=storage, created=CREATED)


def _kill_after(k):
    def after_file(written):
        if written == k:
            raise Killed

    return after_file


@pytest.mark.parametrize("killed_after", [1, 4, 5, 6, 9])
def test_a_killed_build_resumes_without_duplicates(storage, tmp_path, killed_after):
    entries = make_entries(storage, names_of(9))
    part = tmp_path / "job.zip.part"
    with pytest.raises(Killed):
        build_zip(
            entries,
            part=part,
            storage=storage,
            created=CREATED,
            step=4,
            after_file=_kill_after(killed_after),
        )
    checkpoints, added = [], []
    path = build_zip(
        entries,
        part=part,
        storage=storage,
        created=CREATED,
        step=4,
        on_checkpoint=checkpoints.append,
        after_file=added.append,
    )
    resumed_from = (killed_after - 1) // 4 * 4  # checkpoints after files 4 and 8
    assert checkpoints[0] == resumed_from  # carried on from the last checkpoint
    assert added == list(range(resumed_from + 1, 10))
    infos, files = read_zip(path)
    names = [i.filename for i in infos]
    assert names == [*archive_names(entries), "manifest.csv"]
    assert len(set(names)) == len(names)
    rows = manifest_rows(files["manifest.csv"])
    assert [row[0] for row in rows[1:]] == [entry.serial for entry in entries]
    for entry, name in zip(entries, archive_names(entries), strict=True):
        assert hashlib.sha256(files[name]).hexdigest() == entry.sha256


def test_a_hard_kill_that_leaves_half_a_file_is_cut_back_to_the_checkpoint(storage, tmp_path):
    entries = make_entries(storage, names_of(8))
    part = tmp_path / "job.zip.part"
    with pytest.raises(Killed):
        build_zip(
            entries, part=part, storage=storage, created=CREATED, step=3, after_file=_kill_after(5)
        )
    # A process killed by the OS writes no central directory: leave half an entry instead.
    size = part.stat().st_size
    with part.open("r+b") as handle:
        handle.truncate(size - 900)
        handle.seek(0, 2)
        handle.write(b"PK\x03\x04 half a header")
    checkpoints = []
    path = build_zip(
        entries,
        part=part,
        storage=storage,
        created=CREATED,
        step=3,
        on_checkpoint=checkpoints.append,
    )
    assert checkpoints[0] == 3
    infos, _files = read_zip(path)
    assert [i.filename for i in infos] == [*archive_names(entries), "manifest.csv"]


def test_a_partial_file_of_another_selection_is_not_reused(storage, tmp_path):
    part = tmp_path / "job.zip.part"
    first = make_entries(storage, names_of(6))
    with pytest.raises(Killed):
        build_zip(
            first, part=part, storage=storage, created=CREATED, step=2, after_file=_kill_after(5)
        )
    other = make_entries(storage, ["Trần Văn Bình"] * 3)
    other = [Entry(**{**_fields(e), "serial": f"KHAC-{n}"}) for n, e in enumerate(other)]
    checkpoints = []
    path = build_zip(
        other, part=part, storage=storage, created=CREATED, step=2, on_checkpoint=checkpoints.append
    )
    assert checkpoints[0] == 0
    infos, _files = read_zip(path)
    assert [i.filename for i in infos] == [*archive_names(other), "manifest.csv"]


def test_a_build_finished_but_not_handed_over_is_not_rebuilt(storage, tmp_path):
    entries = make_entries(storage, names_of(3))
    part = tmp_path / "job.zip.part"
    build_zip(entries, part=part, storage=storage, created=CREATED)
    added = []
    build_zip(entries, part=part, storage=storage, created=CREATED, after_file=added.append)
    assert added == []
    infos, _files = read_zip(part)
    assert len(infos) == 4


def test_only_one_process_builds_a_job_at_a_time(tmp_path):
    part = tmp_path / "job.zip.part"
    with bulk.exclusive(part) as first:
        assert first
        # flock locks belong to the open file: a second open, as another process does, fails.
        with bulk.exclusive(part) as second:
            assert not second
    with bulk.exclusive(part) as again:
        assert again
