#!/usr/bin/env python
"""Certificate benchmark: rendering cost, ReportLab against WeasyPrint, and the bulk ZIP.

    DJANGO_SETTINGS_MODULE=lms.settings.dev .venv/bin/python benchmarks/certificates.py
        [--rounds 150] [--weasyprint 12] [--zip 300] [--zip-repeats 3] [--profile] [--strict]

(a) Milliseconds per certificate, warm, on one core: ``certificates.pdf.render_certificate`` with
    an official design (national motto, two signatories, QR code), with and without the QR code
    (ReportLab's own ``TTFont``: a new font subset per PDF). The variants are interleaved
    render by render so that other load on the machine hits them alike; the cost is the median
    CPU time of the rendering thread (wall-clock medians are reported too). Every name must come
    back out of the PDF's text.
(b) The same certificate as an HTML/CSS page rendered by WeasyPrint (the same DejaVu fonts via
    @font-face, the QR code as inline SVG from segno): the ratio of the medians.
(c) Seconds to build the ZIP of 300 certificates with the real bulk code
    (``certificates.tasks.run_bulk_download``: database rows, stored PDFs, checkpoints, progress)
    on a throwaway SQLite database and media folder in a temporary directory.

Prints a table with PASS/FAIL per target and writes benchmarks/results/certificates.json.
Exit status 0, or 1 with --strict when a target fails.
"""

import argparse
import contextlib
import cProfile
import io
import json
import os
import platform
import pstats
import statistics
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on sys.path and this file would hide the app.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(ROOT)
elif str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "benchmarks" / "results"
TARGET_RENDER_MS = 8.0  # per certificate with the QR code, warm, one core
TARGET_WEASYPRINT_RATIO = 20.0  # ReportLab at least this many times faster
TARGET_ZIP_SECONDS = 2.0  # ZIP of 300 stored certificates

NAMES = [
    "Nguyễn Thị Ánh Tuyết",
    "Đặng Thị Ngọc Hân",
    "Nguyễn Văn Ước",
    "Trần Thị Ẩn Ửng",
    "Phạm Quốc Khánh",
    "Vũ Thị Ựa",
    "Hồ Ngọc Hà",
    "Bùi Thị Xuân",
    "Ngô Đình Diệm Phương",
    "Dương Văn Ổn",
    "Lê Thị Thủy Tiên",
    "Hoàng Văn Thụ",
]
ORGANISATIONS = [
    "Sở Văn hóa, Thể thao và Du lịch tỉnh Phú Thọ",
    "Ban Tuyên giáo Tỉnh ủy Hòa Bình",
    "Báo Nhân Dân",
    "Đài Phát thanh và Truyền hình Lào Cai",
]


def say(message: str = "") -> None:
    print(message, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=150, help="renders per variant (150)")
    parser.add_argument("--weasyprint", type=int, default=12, help="WeasyPrint renders (12)")
    parser.add_argument("--zip", type=int, default=300, help="certificates in the ZIP (300)")
    parser.add_argument("--zip-repeats", type=int, default=3, help="ZIP builds, median (3)")
    parser.add_argument("--profile", action="store_true", help="cProfile the renderer")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target fails")
    return parser.parse_args(argv)


def setup_django(workdir: Path) -> None:
    """The project's settings on a throwaway SQLite database and media folder."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
    from django.conf import settings

    settings.DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(workdir / "db.sqlite3")}
    }
    settings.MEDIA_ROOT = str(workdir / "media")
    settings.DEBUG = False  # no query log
    import django

    django.setup()


# (a) ReportLab


def official_design():
    from certificates.pdf import Design, Signatory

    return Design(
        title="GIẤY CHỨNG NHẬN",
        intro="Ban Tổ chức Hội nghị chứng nhận ông/bà",
        body=(
            "{position}, {organisation}\nđã hoàn thành khóa tập huấn “{course}”\n"
            "({cohort}) với kết quả {score}."
        ),
        parent_body="BAN CHẤP HÀNH TRUNG ƯƠNG",
        issuing_body="BAN TUYÊN GIÁO TRUNG ƯƠNG",
        place="Hà Nội",
        motto=("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"),
        date_line="{place}, ngày {day} tháng {month} năm {year}",
        register_label="Số vào sổ:",
        verify_label="Kiểm tra giấy chứng nhận tại:",
        font="serif",
        signatories=(
            Signatory(name="Phan Xuân Thủy", title="PHÓ TRƯỞNG BAN"),
            Signatory(name="Nguyễn Thị Hồng Vân", title="TRƯỞNG BAN TỔ CHỨC"),
        ),
    )


def holder(number: int):
    from certificates.pdf import Holder

    return Holder(
        full_name=f"{NAMES[number % len(NAMES)]}",
        course_title="Thông tin đối ngoại về quyền con người",
        serial=f"TTĐN-2024-{number:06d}",
        issued_on=date(2024, 7, 11),
        verification_url=f"https://lms.example.vn/verify/{number:06d}AbCdEfGhIjKlMnOp/",
        organisation=ORGANISATIONS[number % len(ORGANISATIONS)],
        position="Chuyên viên",
        province="Phú Thọ",
        cohort="Hội nghị tập huấn các tỉnh phía Bắc 2024",
        score="92,5%",
        start_date="09/07/2024",
        end_date="11/07/2024",
    )


@contextlib.contextmanager
def without_qr():
    from certificates import pdf

    original = pdf.draw_qr
    pdf.draw_qr = lambda *args, **kwargs: None
    try:
        yield
    finally:
        pdf.draw_qr = original


VARIANTS = {"QR": True, "no QR": False}  # name: QR code


def render_variant(design, holder_, *, qr: bool) -> tuple[bytes, float, float]:
    from certificates.pdf import render_certificate

    with contextlib.ExitStack() as stack:
        if not qr:
            stack.enter_context(without_qr())
        wall, cpu = time.perf_counter(), time.thread_time()
        data = render_certificate(design, holder_)
        return data, time.thread_time() - cpu, time.perf_counter() - wall


def bench_render(rounds: int) -> tuple[dict, list[bytes]]:
    design = official_design()
    for number in range(5):  # warm: fonts registered, caches filled, code paths hot
        for qr in VARIANTS.values():
            render_variant(design, holder(number), qr=qr)
    cpu = {name: [] for name in VARIANTS}
    wall = {name: [] for name in VARIANTS}
    sizes = {}
    pdfs = []
    for number in range(rounds):
        for name, qr in VARIANTS.items():
            data, cpu_s, wall_s = render_variant(design, holder(number), qr=qr)
            cpu[name].append(cpu_s * 1000)
            wall[name].append(wall_s * 1000)
            sizes[name] = len(data)
            if qr:
                pdfs.append(data)
    result = {
        name: {
            "cpu_ms_median": round(statistics.median(cpu[name]), 2),
            "cpu_ms_p90": round(statistics.quantiles(cpu[name], n=10)[-1], 2),
            "wall_ms_median": round(statistics.median(wall[name]), 2),
            "pdf_bytes": sizes[name],
        }
        for name in VARIANTS
    }
    check_output(design)
    return result, pdfs


def check_output(design) -> None:
    """Every name comes back out of the PDF's text, and pypdf reads it without a warning."""
    import logging

    import pypdf

    warnings = []
    handler = logging.Handler()
    handler.emit = warnings.append
    logging.getLogger("pypdf").addHandler(handler)
    try:
        for number in range(len(NAMES)):
            real, _cpu, _wall = render_variant(design, holder(number), qr=True)
            text = pypdf.PdfReader(io.BytesIO(real)).pages[0].extract_text()
            assert NAMES[number] in unicodedata.normalize("NFC", text), NAMES[number]
    finally:
        logging.getLogger("pypdf").removeHandler(handler)
    assert not warnings, [record.getMessage() for record in warnings]


def render_breakdown(rounds: int = 60) -> dict:
    """Where the renderer's CPU time goes (thread CPU ms per certificate)."""
    from reportlab.pdfbase import pdfdoc, ttfonts

    from certificates import pdf

    spent = Counter()

    def timed(name, function):
        def wrapper(*args, **kwargs):
            start = time.thread_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.thread_time() - start

        return wrapper

    patches = [
        (ttfonts.TTFontFace, "makeSubset", "font subsets"),
        (pdf, "qr_operators", "QR code (segno + operators)"),
        (pdf, "check_glyphs", "glyph checks"),
        (pdfdoc.PDFStreamFilterZCompress, "encode", "zlib compression (page content)"),
    ]
    originals = [(owner, attribute, getattr(owner, attribute)) for owner, attribute, _ in patches]
    design = official_design()
    try:
        for owner, attribute, label in patches:
            setattr(owner, attribute, timed(label, getattr(owner, attribute)))
        start = time.thread_time()
        for number in range(rounds):
            pdf.render_certificate(design, holder(number))
        total = time.thread_time() - start
    finally:
        for owner, attribute, original in originals:
            setattr(owner, attribute, original)
    breakdown = {label: round(seconds / rounds * 1000, 2) for label, seconds in spent.items()}
    breakdown["everything else (canvas, PDF objects)"] = round(
        (total - sum(spent.values())) / rounds * 1000, 2
    )
    breakdown["total"] = round(total / rounds * 1000, 2)
    return breakdown


def profile_render(rounds: int = 100) -> str:
    from certificates.pdf import render_certificate

    design = official_design()
    profiler = cProfile.Profile()
    profiler.enable()
    for number in range(rounds):
        render_certificate(design, holder(number))
    profiler.disable()
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "certificates_render.prof"
    profiler.dump_stats(path)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
    return out.getvalue()


# (b) WeasyPrint

HTML_TEMPLATE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><style>
@font-face {{ font-family: Cert; src: url("{fonts}/DejaVuSerif.ttf"); }}
@font-face {{ font-family: Cert; font-weight: bold; src: url("{fonts}/DejaVuSerif-Bold.ttf"); }}
@font-face {{ font-family: Cert; font-style: italic; src: url("{fonts}/DejaVuSerif-Italic.ttf"); }}
@page {{ size: A4 landscape; margin: 22pt; }}
body {{ font-family: Cert; color: #1d2433; margin: 0; }}
.frame {{ border: 2.2pt solid #a3161c; padding: 4pt; height: 545pt; box-sizing: border-box; }}
.inner {{ border: 0.8pt solid #a3161c; height: 100%; box-sizing: border-box; position: relative;
          padding: 18pt 30pt; }}
.header {{ display: flex; justify-content: space-between; text-align: center; }}
.header div {{ width: 45%; }}
.header p {{ margin: 0 0 3pt; font-size: 11.5pt; }}
.header b {{ font-size: 12pt; display: inline-block; border-bottom: 0.7pt solid #1d2433; }}
h1 {{ color: #a3161c; font-size: 30pt; text-align: center; margin: 46pt 0 12pt; }}
.intro {{ font-style: italic; font-size: 14pt; text-align: center; margin: 0; }}
.name {{ color: #a3161c; font-size: 24pt; font-weight: bold; text-align: center; margin: 8pt 0; }}
.body {{ font-size: 13.5pt; text-align: center; line-height: 1.45; margin: 0 12%; }}
.qr {{ position: absolute; left: 34pt; bottom: 30pt; display: flex; gap: 12pt; font-size: 8.5pt; }}
.qr svg {{ width: 74pt; height: 74pt; }}
.qr b {{ font-size: 10.5pt; display: block; margin-bottom: 6pt; }}
.sign {{ position: absolute; right: 30pt; bottom: 30pt; width: 48%; text-align: center; }}
.sign .date {{ font-style: italic; font-size: 11.5pt; }}
.sign .cols {{ display: flex; }}
.sign .cols div {{ flex: 1; font-weight: bold; font-size: 12pt; }}
.sign .cols p {{ margin: 0 0 70pt; }}
</style></head><body><div class="frame"><div class="inner">
<div class="header">
  <div><p>{parent_body}</p><b>{issuing_body}</b></div>
  <div><p><b style="border: 0">{motto_1}</b></p><b>{motto_2}</b></div>
</div>
<h1>{title}</h1>
<p class="intro">{intro}</p>
<p class="name">{name}</p>
<p class="body">{body}</p>
<div class="qr">{qr}<div><b>{register_label} {serial}</b>{verify_label}<br>{url}</div></div>
<div class="sign"><p class="date">{date_line}</p><div class="cols">{signatories}</div></div>
</div></div></body></html>"""


def certificate_html(design, holder_) -> str:
    from html import escape

    import segno

    from certificates.pdf import fill_placeholders

    fonts = (ROOT / "certificates" / "fonts").as_uri()
    issued = holder_.issued_on
    qr = segno.make(holder_.verification_url, error="m", micro=False, boost_error=False, mask=4)
    body = escape(fill_placeholders(design.body, holder_)).replace("\n", "<br>")
    return HTML_TEMPLATE.format(
        fonts=fonts,
        parent_body=escape(design.parent_body),
        issuing_body=escape(design.issuing_body),
        motto_1=escape(design.motto[0]),
        motto_2=escape(design.motto[1]),
        title=escape(design.title),
        intro=escape(fill_placeholders(design.intro, holder_)),
        name=escape(holder_.full_name),
        body=body,
        qr=qr.svg_inline(scale=1, border=0),
        register_label=escape(design.register_label),
        serial=escape(holder_.serial),
        verify_label=escape(design.verify_label),
        url=escape(holder_.verification_url),
        date_line=escape(
            design.date_line.format(
                place=design.place, day=issued.day, month=issued.month, year=issued.year
            )
        ),
        signatories="".join(
            f"<div><p>{escape(s.title)}</p>{escape(s.name)}</div>" for s in design.signatories
        ),
    )


def bench_weasyprint(renders: int) -> dict:
    import weasyprint

    design = official_design()
    for number in range(2):  # warm: fonts loaded, caches filled
        weasyprint.HTML(string=certificate_html(design, holder(number))).write_pdf()
    cpu, wall = [], []
    size = 0
    for number in range(renders):
        start_wall, start_cpu = time.perf_counter(), time.thread_time()
        data = weasyprint.HTML(string=certificate_html(design, holder(number))).write_pdf()
        cpu.append((time.thread_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start_wall) * 1000)
        size = len(data)
    return {
        "cpu_ms_median": round(statistics.median(cpu), 1),
        "wall_ms_median": round(statistics.median(wall), 1),
        "pdf_bytes": size,
        "renders": renders,
        "version": weasyprint.__version__,
    }


# (c) The bulk ZIP


def create_schema() -> None:
    """Tables straight from the models (no migrations: seconds instead of a minute)."""
    from django.apps import apps
    from django.conf import settings
    from django.core.management import call_command

    settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}
    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)


def seed_certificates(pdfs: list[bytes], count: int) -> tuple:
    import hashlib

    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from wagtail.models import Locale, Page

    from certificates.models import Certificate
    from courses.models import CoursePage, Enrollment

    Locale.objects.get_or_create(language_code="vi")
    root = Page.add_root(instance=Page(title="Root", slug="root"))
    course = root.add_child(
        instance=CoursePage(
            title="Thông tin đối ngoại về quyền con người", slug="ttdn", code="TTĐN", summary="…"
        )
    )
    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"delegate{n}@example.vn", email=f"delegate{n}@example.vn")
        for n in range(count)
    )
    hr = User.objects.create(username="hr@example.vn", is_superuser=True)
    now = datetime(2024, 7, 11, 9, 0, tzinfo=UTC)
    enrollments = Enrollment.objects.bulk_create(
        Enrollment(user=user, course=course, method="self", enrolled_at=now, completed_at=now)
        for user in users
    )
    certificates = []
    for number, enrollment in enumerate(enrollments):
        data = pdfs[number % len(pdfs)]
        holder_ = holder(number)
        certificate = Certificate(
            serial=holder_.serial,
            verification_code=f"{number:06d}AbCdEfGhIjKlMnOp",
            enrollment=enrollment,
            user_id=enrollment.user_id,
            course=course,
            full_name=holder_.full_name,
            organisation=holder_.organisation,
            province=holder_.province,
            course_title=holder_.course_title,
            issued_on=holder_.issued_on,
            issued_at=now,
            pdf_sha256=hashlib.sha256(data).hexdigest(),
        )
        certificate.pdf.save(f"{certificate.verification_code}.pdf", ContentFile(data), False)
        certificates.append(certificate)
    Certificate.objects.bulk_create(certificates)
    return course, hr


def bench_zip(pdfs: list[bytes], count: int, repeats: int, workdir: Path) -> dict:
    import zipfile

    from certificates import tasks
    from certificates.models import BulkDownload

    create_schema()
    course, hr = seed_certificates(pdfs, count)
    tasks.work_dir = lambda: workdir / "work"  # the run's temporary folder, not /tmp
    seconds, cpu_seconds = [], []
    job = None
    for _repeat in range(repeats):
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        # Django's default ImmediateBackend: the task runs here, in process, on commit.
        job = tasks.start_bulk_download(user=hr, params={"course": course.pk}, language="vi")
        seconds.append(time.perf_counter() - start_wall)
        cpu_seconds.append(time.process_time() - start_cpu)
        job.refresh_from_db()
        assert job.state == BulkDownload.State.DONE, (job.state, job.error)
    with job.zip_file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        names = archive.namelist()
        stored = all(i.compress_type == zipfile.ZIP_STORED for i in archive.infolist())
        size = sum(i.file_size for i in archive.infolist())
    assert len(names) == count + 1 and len(set(names)) == len(names)
    return {
        "certificates": count,
        "seconds_median": round(statistics.median(seconds), 3),
        "seconds_all": [round(s, 3) for s in seconds],
        "process_cpu_seconds_median": round(statistics.median(cpu_seconds), 3),
        "zip_bytes": size,
        "stored_uncompressed": stored,
        "database": "SQLite (temporary)",
    }


# Report


def load_average() -> list[float]:
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return []


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    results: dict = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_before": load_average(),
        },
    }
    with tempfile.TemporaryDirectory(prefix="lms-certificate-bench-") as tmp:
        workdir = Path(tmp)
        setup_django(workdir)
        import reportlab

        results["machine"]["reportlab"] = reportlab.Version
        say(f"(a) rendering {args.rounds} certificates per variant (3 variants, interleaved)…")
        render, pdfs = bench_render(args.rounds)
        results["render"] = render
        results["render_breakdown_ms"] = render_breakdown()
        if args.profile:
            say(profile_render())
            say(f"cProfile written to {RESULTS / 'certificates_render.prof'}")
        say(f"(b) WeasyPrint, {args.weasyprint} renders…")
        results["weasyprint"] = bench_weasyprint(args.weasyprint)
        say(f"(c) ZIP of {args.zip} stored certificates, {args.zip_repeats} builds…")
        results["zip"] = bench_zip(pdfs, args.zip, args.zip_repeats, workdir)
    results["machine"]["load_average_after"] = load_average()

    render_ms = render["QR"]["cpu_ms_median"]
    weasyprint_ms = results["weasyprint"]["cpu_ms_median"]
    zip_seconds = results["zip"]["seconds_median"]
    targets = [  # name, value, goal, met
        (
            "(a) ms per certificate with QR",
            render_ms,
            f"≤ {TARGET_RENDER_MS:g}",
            render_ms <= TARGET_RENDER_MS,
        ),
        (
            "(b) WeasyPrint ÷ ReportLab",
            weasyprint_ms / render_ms,
            f"≥ {TARGET_WEASYPRINT_RATIO:g}",
            weasyprint_ms / render_ms >= TARGET_WEASYPRINT_RATIO,
        ),
        (
            "(c) s to build the ZIP of 300",
            zip_seconds,
            f"< {TARGET_ZIP_SECONDS:g}",
            zip_seconds < TARGET_ZIP_SECONDS,
        ),
    ]
    verdicts = [met for *_rest, met in targets]
    results["targets"] = [
        {"name": name, "value": round(value, 3), "target": goal, "pass": met}
        for name, value, goal, met in targets
    ]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "certificates.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    report(results)
    return 1 if args.strict and not all(verdicts) else 0


def report(results: dict) -> None:
    say()
    say("| variant | CPU ms (median) | CPU ms (p90) | wall ms (median) | PDF bytes |")
    say("| --- | ---: | ---: | ---: | ---: |")
    for name, row in results["render"].items():
        say(
            f"| {name} | {row['cpu_ms_median']} | {row['cpu_ms_p90']} | "
            f"{row['wall_ms_median']} | {row['pdf_bytes']:,} |"
        )
    weasy = results["weasyprint"]
    say(
        f"| WeasyPrint {weasy['version']}, QR | {weasy['cpu_ms_median']} | | "
        f"{weasy['wall_ms_median']} | {weasy['pdf_bytes']:,} |"
    )
    say()
    say("Where the renderer's CPU goes (ms per certificate):")
    for label, ms in results["render_breakdown_ms"].items():
        say(f"  {label:<40} {ms:>6}")
    zip_ = results["zip"]
    say()
    say(
        f"ZIP: {zip_['certificates']} certificates, {zip_['zip_bytes'] / 1e6:.1f} MB stored, "
        f"builds {zip_['seconds_all']} s (process CPU {zip_['process_cpu_seconds_median']} s)"
    )
    say()
    say("| target | value | goal | result |")
    say("| --- | ---: | --- | --- |")
    for target in results["targets"]:
        verdict = "PASS" if target["pass"] else "FAIL"
        say(f"| {target['name']} | {target['value']} | {target['target']} | {verdict} |")
    machine = results["machine"]
    say()
    say(
        f"{machine['cpus']} cores, load average before {machine['load_average_before']}, "
        f"after {machine['load_average_after']}. Written: {RESULTS / 'certificates.json'}"
    )


if __name__ == "__main__":
    sys.exit(main())
