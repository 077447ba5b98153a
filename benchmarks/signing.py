#!/usr/bin/env python
"""Signing benchmark: what a PAdES signature adds to issuing a certificate, and the bulk ZIP of
signed certificates.

    DJANGO_SETTINGS_MODULE=lms.settings.dev .venv/bin/python benchmarks/signing.py
        [--certificates 300] [--rounds 60] [--zip-repeats 3]

On a throwaway SQLite database and media folder, with an agency certificate (PKCS#12, EC P-256)
issued by a test CA made with ``cryptography``:

(a) Milliseconds per certificate, warm: ``certificates.signing.sign_pdf`` on a rendered
    certificate (loading the key store included, as the issuing task does for each
    certificate), next to ``render_certificate`` itself. No timestamp server (it would measure
    the network).
(b) Seconds to issue ``--certificates`` signed certificates through
    ``certificates.services.issue_certificate`` (the issuing task's body: serial, render, sign,
    store), one after another.
(c) Seconds to build the ZIP of those signed certificates with the real bulk code
    (``certificates.tasks.start_bulk_download`` on the ImmediateBackend), and a check that the
    signatures in the ZIP still validate.

These run in a task, off the delegate's request: there is no target, only numbers to watch.
Writes benchmarks/results/signing.json.
"""

import argparse
import io
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(ROOT)
elif str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "benchmarks" / "results"


def setup_django(workdir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
    from django.conf import settings

    settings.DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(workdir / "db.sqlite3")}
    }
    settings.MEDIA_ROOT = str(workdir / "media")
    settings.DEBUG = False
    import django

    django.setup()
    from django.apps import apps
    from django.core.management import call_command

    settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}
    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)


def seed(count: int, workdir: Path):
    from django.contrib.auth import get_user_model
    from wagtail.models import Locale, Page

    from certificates import signing
    from certificates.models import CertificateTemplate
    from courses.models import CoursePage, Enrollment
    from tests.certificates.signing_ca import PASSWORD, PASSWORD_ENV, SigningCA, signer_config

    Locale.objects.get_or_create(language_code="vi")
    root = Page.add_root(instance=Page(title="Root", slug="root"))
    course = root.add_child(
        instance=CoursePage(title="Thông tin đối ngoại", slug="ttdn", code="TTĐN", summary="…")
    )
    template = CertificateTemplate.objects.create(
        name="Mẫu chính thức", course=course, issuing_body="BAN TUYÊN GIÁO TRUNG ƯƠNG"
    )
    os.environ[PASSWORD_ENV] = PASSWORD
    ca = SigningCA.create()
    signer = signer_config(template, ca.pkcs12_file(workdir))
    signing.remember_identity(signer, signing.check_configuration(signer))
    signer.save()
    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"delegate{n}@example.vn", first_name="Nguyễn Thị", last_name=f"Ánh {n}")
        for n in range(count)
    )
    now = datetime.now(UTC)
    enrollments = Enrollment.objects.bulk_create(
        Enrollment(user=user, course=course, method="self", enrolled_at=now, completed_at=now)
        for user in users
    )
    hr = User.objects.create(username="hr@example.vn", is_superuser=True)
    return course, signer, enrollments, hr, ca


def bench_sign(signer, rounds: int) -> dict:
    from certificates import signing
    from certificates.design import design_for, holder_for
    from certificates.models import Certificate
    from certificates.pdf import render_certificate

    sample = Certificate.objects.select_related("course").first()
    design, holder = design_for(sample.course), holder_for(sample)
    render_ms, sign_ms = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        pdf = render_certificate(design, holder)
        render_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        signed = signing.sign_pdf(pdf, config=signer)
        sign_ms.append((time.perf_counter() - start) * 1000)
    return {
        "rounds": rounds,
        "render_ms_median": round(statistics.median(render_ms), 2),
        "sign_ms_median": round(statistics.median(sign_ms), 2),
        "sign_ms_p95": round(sorted(sign_ms)[int(len(sign_ms) * 0.95) - 1], 2),
        "unsigned_bytes": len(pdf),
        "signed_bytes": len(signed.data),
    }


def bench_issue(enrollments) -> dict:
    from certificates.services import issue_certificate

    start = time.perf_counter()
    for enrollment in enrollments:
        issue_certificate(enrollment_id=enrollment.pk, notify=False)
    seconds = time.perf_counter() - start
    return {
        "certificates": len(enrollments),
        "seconds": round(seconds, 2),
        "ms_per_certificate": round(seconds * 1000 / len(enrollments), 2),
    }


def bench_zip(course, hr, ca, repeats: int, workdir: Path) -> dict:
    from asn1crypto import x509
    from cryptography.hazmat.primitives.serialization import Encoding
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from certificates import tasks
    from certificates.models import BulkDownload

    tasks.work_dir = lambda: workdir / "work"
    seconds = []
    job = None
    for _ in range(repeats):
        start = time.perf_counter()
        job = tasks.start_bulk_download(user=hr, params={"course": course.pk}, language="vi")
        seconds.append(time.perf_counter() - start)
        job.refresh_from_db()
        assert job.state == BulkDownload.State.DONE, (job.state, job.error)
    root = x509.Certificate.load(ca.certificate.public_bytes(Encoding.DER))
    with job.zip_file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        pdfs = [name for name in archive.namelist() if name.endswith(".pdf")]
        size = sum(info.file_size for info in archive.infolist())
        checked = pdfs[:: max(1, len(pdfs) // 10)]
        for name in checked:
            reader = PdfFileReader(io.BytesIO(archive.read(name)), strict=False)
            (signature,) = reader.embedded_signatures
            status = validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))
            assert status.bottom_line, name
    return {
        "certificates": len(pdfs),
        "seconds_median": round(statistics.median(seconds), 3),
        "seconds_all": [round(s, 3) for s in seconds],
        "zip_bytes": size,
        "signatures_checked_in_zip": len(checked),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--certificates", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--zip-repeats", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="lms-signing-bench-") as tmp:
        workdir = Path(tmp)
        setup_django(workdir)
        course, signer, enrollments, hr, ca = seed(args.certificates, workdir)
        issue = bench_issue(enrollments)
        sign = bench_sign(signer, args.rounds)
        zipped = bench_zip(course, hr, ca, args.zip_repeats, workdir)
    results = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "load_average": [round(v, 2) for v in os.getloadavg()],
        "sign": sign,
        "issue_signed": issue,
        "zip_signed": zipped,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "signing.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"render (median)                 {sign['render_ms_median']:8.2f} ms")
    print(
        f"sign, key loaded each time      {sign['sign_ms_median']:8.2f} ms "
        f"(p95 {sign['sign_ms_p95']} ms)"
    )
    print(
        f"PDF size unsigned → signed      {sign['unsigned_bytes']} → {sign['signed_bytes']} bytes"
    )
    print(
        f"issue {issue['certificates']} signed certificates  {issue['seconds']:8.2f} s "
        f"({issue['ms_per_certificate']} ms each)"
    )
    print(
        f"ZIP of {zipped['certificates']} signed certificates  {zipped['seconds_median']:8.3f} s "
        f"(median of {args.zip_repeats}; {zipped['signatures_checked_in_zip']} signatures "
        "validated in the ZIP)"
    )
    print(f"load average                    {results['load_average']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
