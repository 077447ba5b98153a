"""Certificates through the API: my certificates, public verification, HR's register with its
exports, and bulk ZIP jobs. The same services as the HTML views answer, so the same rules hold."""

import csv
import datetime
import io
import zipfile
from urllib.parse import quote

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certificates import services, tasks
from certificates.models import BulkDownload, Certificate, CertificateEvent
from courses.compat import APIToken
from tests.api.conftest import issue_certificate
from tests.certificates.test_bulk_jobs import make_certificate
from tests.certificates.test_views import unread_upload

pytestmark = pytest.mark.django_db

REVOKED_AT = datetime.datetime(2024, 9, 3, 10, 0, tzinfo=datetime.UTC)
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(tasks, "work_dir", lambda: tmp_path / "work")


def content(response) -> bytes:
    return b"".join(response.streaming_content)


def downloads_of(certificate: Certificate) -> list:
    return list(
        certificate.events.filter(action=CertificateEvent.Action.DOWNLOADED).values_list(
            "actor", flat=True
        )
    )


# My certificates


def test_my_certificates_lists_my_own_with_what_is_printed_on_them(world, login, certificate):
    issue_certificate(world, world.other_enrollment)

    rows = login("delegate").get(reverse("lms_api:my-certificate-list")).json()["results"]

    assert rows == [
        {
            "id": certificate.pk,
            "serial": certificate.serial,
            "status": "valid",
            "status_label": "Còn hiệu lực",
            "full_name": "Nguyễn Văn An",
            "course": world.course.pk,
            "course_title": "Khóa học của tôi",
            "cohort": world.cohort.pk,
            "cohort_name": "Hội nghị Hà Nội",
            "score": "0.00",  # the final quiz, submitted blank
            "issued_on": certificate.issued_on.isoformat(),
            "state": "issued",
            "valid_until": None,
            "validity": "valid",
            "expired": False,
            "signed": False,
            "signature": None,
            # The default Site of a new Wagtail project: localhost, port 80.
            "verification_url": f"http://localhost/learn/verify/{certificate.verification_code}/",
            "pdf_url": f"http://testserver/api/v1/my-certificates/{certificate.pk}/pdf/",
            "share_url": f"http://testserver/learn/badges/{certificate.verification_code}/",
            "credential_url": (
                f"http://testserver/api/v1/my-certificates/{certificate.pk}/credential/"
            ),
        }
    ]


def test_a_replaced_certificate_leaves_my_list_but_keeps_its_address(world, login, certificate):
    new = services.reissue_certificate(certificate_id=certificate.pk, by=world.hr, reason="Tên")
    client = login("delegate")

    listed = client.get(reverse("lms_api:my-certificate-list")).json()["results"]
    old = client.get(reverse("lms_api:my-certificate-detail", args=[certificate.pk])).json()

    assert [row["id"] for row in listed] == [new.pk]
    assert old["status"] == "superseded"


@pytest.mark.parametrize("accept", ["*/*", "application/pdf", "application/json"])
def test_downloading_my_certificate_serves_the_issued_pdf_and_records_it(
    world, login, certificate, accept
):
    response = login("delegate").get(
        reverse("lms_api:my-certificate-pdf", args=[certificate.pk]), HTTP_ACCEPT=accept
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert quote(f"{certificate.serial}.pdf") in response["Content-Disposition"]
    assert content(response) == certificate.pdf.open("rb").read()
    assert downloads_of(certificate) == [world.delegate.pk]


def test_another_delegates_certificate_does_not_exist_for_me(world, login, other_certificate):
    client = login("delegate")

    detail = client.get(reverse("lms_api:my-certificate-detail", args=[other_certificate.pk]))
    pdf = client.get(
        reverse("lms_api:my-certificate-pdf", args=[other_certificate.pk]), HTTP_ACCEPT="*/*"
    )

    assert detail.status_code == pdf.status_code == 404
    assert pdf.json()["code"] == "not_found"
    assert downloads_of(other_certificate) == []


# Public verification


def verify(client, code: str, **extra):
    return client.get(reverse("lms_api:verification-detail", args=[code]), **extra)


def test_a_valid_certificate_is_confirmed_with_name_course_and_date_only(login, certificate):
    response = verify(login("anonymous"), certificate.verification_code, **ENGLISH)

    assert response.status_code == 200
    assert response.json() == {
        "status": "valid",
        "message": "Valid certificate.",
        "full_name": "Nguyễn Văn An",
        "course_title": "Khóa học của tôi",
        "issued_on": certificate.issued_on.isoformat(),
        "revoked_on": None,
    }


def test_a_revoked_certificate_says_so_with_the_date_not_the_reason(world, login, certificate):
    services.revoke_certificate(
        certificate_id=certificate.pk, by=world.hr, reason="Cấp nhầm", now=REVOKED_AT
    )
    client = login("anonymous")

    english = verify(client, certificate.verification_code, **ENGLISH).json()
    vietnamese = verify(client, certificate.verification_code).json()

    assert english["status"] == "revoked"
    assert english["revoked_on"] == "2024-09-03"
    assert english["message"] == "This certificate was revoked on 09/03/2024."
    assert vietnamese["message"] == "Giấy chứng nhận này đã bị thu hồi vào 03/09/2024."
    assert "Cấp nhầm" not in str(english) + str(vietnamese)


def test_a_superseded_certificate_is_no_longer_valid(world, login, certificate):
    services.reissue_certificate(certificate_id=certificate.pk, by=world.hr, reason="Sửa tên")

    result = verify(login("anonymous"), certificate.verification_code).json()

    assert result["status"] == "superseded"
    assert result["full_name"] == "Nguyễn Văn An"


@pytest.mark.parametrize("code", ["AbCdEfGhIjKlMnOpQrStUv", "x", "a" * 41, "<script>", "mã-số"])
def test_unknown_and_malformed_codes_look_the_same(login, certificate, code):
    client = login("anonymous")

    unknown = verify(client, "AbCdEfGhIjKlMnOpQrStUw")
    response = verify(client, code)

    assert response.status_code == unknown.status_code == 200
    assert response.json() == unknown.json()
    assert response.json()["status"] == "unknown"
    assert response.json()["full_name"] is None


def test_a_code_is_read_as_the_page_reads_it(login, certificate):
    client = login("anonymous")
    code = certificate.verification_code

    spaced = verify(client, f" {code[:10]} {code[10:]} ")

    assert spaced.json()["status"] == "valid"


@pytest.mark.parametrize("code", [" ", "nul\x00byte", "a" * 301])
def test_what_the_page_would_refuse_is_invalid_input(login, code):
    response = verify(login("anonymous"), code)

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"code"}


@override_settings(LMS={"API_THROTTLE_RATES": {"certificate_verify": "3/hour"}})
def test_verification_is_throttled_per_visitor_apart_from_the_page(login, certificate):
    client = login("anonymous")
    code = certificate.verification_code

    allowed = [verify(client, code).status_code for _ in range(3)]
    refused = verify(client, code)
    upload = {"file": SimpleUploadedFile("c.pdf", certificate.pdf.open("rb").read())}
    file_check = client.post(reverse("lms_api:verification-file"), upload)
    other_visitor = verify(client, code, REMOTE_ADDR="203.0.113.9")
    page = client.get(reverse("certificates:verify_code", args=[code]))

    assert allowed == [200, 200, 200]
    assert refused.status_code == file_check.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert "Nguyễn" not in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert other_visitor.status_code == 200
    assert page.status_code == 200  # the page's own limit (LMS["VERIFY_RATE_PER_HOUR"])


@override_settings(LMS={"API_THROTTLE_RATES": {"certificate_verify": "3/hour"}})
def test_rotating_a_forged_forwarded_for_does_not_escape_the_throttle(login, certificate):
    """Found: the throttle believed any X-Forwarded-For and was bypassed by rotating it."""
    client = login("anonymous")
    code = certificate.verification_code

    answers = [
        verify(client, code, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
        for n in range(4)
    ]

    assert [r.status_code for r in answers] == [200, 200, 200, 429]


@override_settings(
    LMS={
        "API_THROTTLE_RATES": {"certificate_verify": "3/hour"},
        "TRUSTED_PROXIES": ["10.0.0.0/8"],
    }
)
def test_behind_a_trusted_proxy_visitors_are_throttled_apart(login, certificate):
    client = login("anonymous")
    code = certificate.verification_code
    via_proxy = {"REMOTE_ADDR": "10.0.0.2"}

    first = [
        verify(client, code, HTTP_X_FORWARDED_FOR="198.51.100.1", **via_proxy) for _ in range(4)
    ]
    second = verify(client, code, HTTP_X_FORWARDED_FOR="198.51.100.2", **via_proxy)
    forged = verify(client, code, HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.1", **via_proxy)

    assert [r.status_code for r in first] == [200, 200, 200, 429]
    assert second.status_code == 200
    assert forged.status_code == 429  # what the client wrote left of its address is ignored


def check_file(client, data: bytes, name="chung-nhan.pdf", **extra):
    upload = SimpleUploadedFile(name, data, content_type="application/pdf")
    return client.post(reverse("lms_api:verification-file"), {"file": upload}, **extra)


def test_the_exact_issued_pdf_matches(login, certificate):
    response = check_file(login("anonymous"), certificate.pdf.open("rb").read(), **ENGLISH)

    assert response.status_code == 200
    result = response.json()
    assert result["status"] == "valid" and result["file_matches"] is True
    assert result["file_message"] == "This file is exactly the PDF that was issued."
    assert result["full_name"] == "Nguyễn Văn An"


def test_one_changed_byte_is_not_a_match(login, certificate):
    data = bytearray(certificate.pdf.open("rb").read())
    data[len(data) // 2] ^= 0x01

    result = check_file(login("anonymous"), bytes(data)).json()

    assert result["status"] == "unknown" and result["file_matches"] is False
    assert result["full_name"] is None


def test_a_file_that_is_not_a_pdf_is_invalid_input(login):
    response = check_file(login("anonymous"), b"GIF89a not a pdf", name="anh.gif")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"
    assert set(response.json()["errors"]) == {"file"}


def test_a_body_too_large_for_a_certificate_is_refused_unread(login):
    client = login("delegate", enforce_csrf_checks=True)  # its CSRF check reads the body first
    client.cookies["csrftoken"] = token = "k" * 32

    response = unread_upload(
        client, reverse("lms_api:verification-file"), 200 * 1024 * 1024, HTTP_X_CSRFTOKEN=token
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "file_too_large",
        "message": "Tệp quá lớn so với một giấy chứng nhận (tối đa 5 MB).",
    }


def test_an_empty_file_is_invalid_input(login):
    response = check_file(login("anonymous"), b"", **ENGLISH)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"
    assert set(response.json()["errors"]) == {"file"}


def test_the_file_check_takes_a_form_not_json(login):
    response = login("anonymous").post(
        reverse("lms_api:verification-file"), {"file": "x"}, content_type="application/json"
    )

    assert response.status_code == 415


# HR: the register


@pytest.fixture
def register(world):
    """Certificates of both courses, from two provinces, on several dates, one revoked."""
    hanoi = make_certificate(
        course=world.course,
        cohort=world.cohort,
        full_name="Đặng Quốc Hưng",
        province="Hà Nội",
        organisation="Sở Văn hoá và Thể thao",
        issued_on=datetime.date(2024, 7, 1),
    )
    phu_tho = make_certificate(
        course=world.course,
        full_name="Lê Thị Ước",
        province="Phú Thọ",
        organisation="Đài Phát thanh",
        issued_on=datetime.date(2024, 7, 15),
    )
    revoked = make_certificate(
        course=world.other_course,
        cohort=world.other_cohort,
        full_name="Trần Văn Ủy",
        province="Phú Thọ",
        organisation="=Báo Nhân Dân",
        issued_on=datetime.date(2024, 8, 1),
        status=Certificate.Status.REVOKED,
    )
    return {"hanoi": hanoi, "phu_tho": phu_tho, "revoked": revoked}


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["full_name"] for row in response.json()["results"]}


def test_hr_lists_every_certificate_newest_first(login, register):
    response = login("hr").get(reverse("lms_api:certificate-list"))

    rows = response.json()["results"]
    assert response.json()["count"] == 3
    assert [row["full_name"] for row in rows] == ["Trần Văn Ủy", "Lê Thị Ước", "Đặng Quốc Hưng"]
    assert rows[0]["organisation"] == "=Báo Nhân Dân"
    assert rows[0]["status_label"] == "Đã thu hồi"
    assert rows[0]["pdf_url"].endswith(f"/api/v1/certificates/{register['revoked'].pk}/pdf/")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"course": "{course}"}, {"Đặng Quốc Hưng", "Lê Thị Ước"}),
        ({"cohort": "{cohort}"}, {"Đặng Quốc Hưng"}),
        ({"province": "Phú Thọ"}, {"Lê Thị Ước", "Trần Văn Ủy"}),
        ({"province": ["Hà Nội", "Phú Thọ"], "status": "valid"}, {"Đặng Quốc Hưng", "Lê Thị Ước"}),
        ({"organisation": "sở  văn HÓA"}, {"Đặng Quốc Hưng"}),  # tone placement ignored
        ({"issued_from": "2024-07-10", "issued_to": "2024-07-31"}, {"Lê Thị Ước"}),
        ({"status": ["revoked", "superseded"]}, {"Trần Văn Ủy"}),
    ],
)
def test_the_register_takes_the_admin_filters(world, login, register, query, expected):
    ids = {"{course}": world.course.pk, "{cohort}": world.cohort.pk}
    query = {
        key: ids.get(value, value) if isinstance(value, str) else value
        for key, value in query.items()
    }

    assert names(login("hr").get(reverse("lms_api:certificate-list"), query)) == expected


def test_a_province_may_be_given_by_id(world, login, register):
    from courses.models import Province

    province = Province.objects.get_or_create(name="Hà Nội")[0]

    listed = names(login("hr").get(reverse("lms_api:certificate-list"), {"province": province.pk}))

    assert listed == {"Đặng Quốc Hưng"}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"course": "abc"}, "course"),
        ({"cohort": "-1"}, "cohort"),
        ({"course": str(10**19)}, "course"),
        ({"status": "lost"}, "status"),
        ({"issued_from": "01/07/2024"}, "issued_from"),
        ({"issued_from": "2024-08-01", "issued_to": "2024-07-01"}, "issued_to"),
        ({"province": "987654"}, "province"),
        ({"province": "Hà\x00Nội"}, "province"),
        ({"organisation": "\x00"}, "organisation"),
    ],
)
def test_a_bad_filter_is_refused_with_its_name(login, register, query, field):
    for name in ("lms_api:certificate-list", "lms_api:certificate-export-csv"):
        response = login("hr").get(reverse(name), query)

        assert response.status_code == 400
        assert response.json()["code"] == "invalid_input"
        assert set(response.json()["errors"]) == {field}


def test_hr_downloads_any_certificate_and_it_is_recorded(world, login, other_certificate):
    response = login("hr").get(reverse("lms_api:certificate-pdf", args=[other_certificate.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert content(response) == other_certificate.pdf.open("rb").read()
    assert downloads_of(other_certificate) == [world.hr.pk]


def csv_rows(response) -> list[list[str]]:
    data = content(response)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, for Excel
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_csv_export_is_the_admin_export_of_the_same_filters(world, login, register):
    client = login("hr")
    query = {"province": "Phú Thọ"}

    api = client.get(reverse("lms_api:certificate-export-csv"), query)
    admin = client.get(reverse("certificate_register:index"), {**query, "export": "csv"})

    assert api["Content-Type"] == "text/csv"
    assert 'filename="certificates.csv"' in api["Content-Disposition"]
    rows, admin_rows = csv_rows(api), csv_rows(admin)
    assert rows[0] == admin_rows[0]
    assert rows[0][:3] == ["Số hiệu", "Họ và tên", "Cơ quan, đơn vị"]
    assert sorted(rows[1:]) == sorted(admin_rows[1:])
    assert {row[1] for row in rows[1:]} == {"Lê Thị Ước", "Trần Văn Ủy"}
    assert "'=Báo Nhân Dân" in [row[2] for row in rows]  # formulas neutralised


def test_the_xlsx_export_keeps_vietnamese_intact(login, register):
    response = login("hr").get(reverse("lms_api:certificate-export-xlsx"), {"status": "valid"})

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(content(response))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Số hiệu", "Họ và tên", "Cơ quan, đơn vị")
    assert {row[1] for row in rows[1:]} == {"Đặng Quốc Hưng", "Lê Thị Ước"}
    assert {row[4] for row in rows[1:]} == {"Hà Nội", "Phú Thọ"}


@pytest.mark.skipif(APIToken is None, reason="Wagtail 7.4 has no API tokens")
def test_an_hr_integration_exports_with_its_token(world, register):
    _token, plaintext = APIToken.create_token(user=world.hr, name="Hệ thống nhân sự")
    client = Client()
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}

    listed = client.get(reverse("lms_api:certificate-list"), **bearer)
    exported = client.get(reverse("lms_api:certificate-export-csv"), {"course": "x"}, **bearer)
    exported_ok = client.get(reverse("lms_api:certificate-export-csv"), **bearer)

    assert listed.json()["count"] == 3
    assert exported.status_code == 400
    assert len(csv_rows(exported_ok)) == 4


def test_a_trainer_may_not_read_the_register(login, register):
    response = login("trainer").get(reverse("lms_api:certificate-export-csv"))

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


# HR: bulk ZIP downloads


@pytest.fixture
def start(django_capture_on_commit_callbacks):
    def start(client, body, *, build=True):
        with django_capture_on_commit_callbacks(execute=build):
            return client.post(
                reverse("lms_api:certificate-zip-list"), body, content_type="application/json"
            )

    return start


def test_a_zip_job_is_started_polled_and_downloaded(world, login, register, start):
    client = login("hr")

    started = start(client, {"course": [world.course.pk], "status": ["valid"]})
    job = started.json()
    polled = client.get(job["url"])
    response = client.get(polled.json()["download_url"])

    assert started.status_code == 202
    assert started["Location"] == job["url"]
    assert job["url"] == f"http://testserver/api/v1/certificate-zips/{job['id']}/"
    assert polled.status_code == 200
    assert set(polled["Cache-Control"].split(", ")) == {"no-store", "private"}
    status = polled.json()
    assert (status["state"], status["done"], status["total"], status["finished"]) == (
        "done",
        2,
        2,
        True,
    )
    assert status["filters"] == {"course": [str(world.course.pk)], "status": ["valid"]}
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(content(response))) as archive:
        assert sorted(archive.namelist()) == sorted(
            [
                f"{register['hanoi'].serial} - Đặng Quốc Hưng.pdf",
                f"{register['phu_tho'].serial} - Lê Thị Ước.pdf",
                "manifest.csv",
            ]
        )
        pdf = archive.read(f"{register['hanoi'].serial} - Đặng Quốc Hưng.pdf")
    assert pdf == register["hanoi"].pdf.open("rb").read()
    assert downloads_of(register["hanoi"]) == [world.hr.pk]
    assert downloads_of(register["revoked"]) == []


def test_a_job_still_building_shows_progress_and_no_zip(login, register, start):
    client = login("hr")

    job = start(client, {}, build=False).json()
    download = client.get(reverse("lms_api:certificate-zip-download", args=[job["id"]]))

    assert (job["state"], job["done"], job["total"], job["finished"]) == ("queued", 0, 3, False)
    assert job["download_url"] is None
    assert download.status_code == 409
    assert download.json()["code"] == "zip_not_ready"


def test_an_expired_zip_says_so(world, login, register, start):
    client = login("hr")
    job = start(client, {}).json()
    later = timezone.now() + datetime.timedelta(days=tasks.retention_days() + 1)
    assert tasks.purge_expired_downloads(now=later) == 1

    poll = client.get(reverse("lms_api:certificate-zip-detail", args=[job["id"]])).json()
    download = client.get(reverse("lms_api:certificate-zip-download", args=[job["id"]]))

    assert (poll["state"], poll["download_url"]) == ("expired", None)
    assert download.status_code == 410
    assert download.json()["code"] == "zip_expired"
    assert "hết hạn" in download.json()["message"]


def test_a_job_is_only_its_requesters(world, login, register, start):
    from tests.certificates.test_bulk_jobs import hr_user

    job = start(login("hr"), {}).json()
    colleague = Client()
    colleague.force_login(hr_user())

    for name in ("lms_api:certificate-zip-detail", "lms_api:certificate-zip-download"):
        assert colleague.get(reverse(name, args=[job["id"]])).status_code == 404
    assert colleague.get(reverse("lms_api:certificate-zip-list")).json()["count"] == 0
    assert login("hr").get(reverse("lms_api:certificate-zip-list")).json()["count"] == 1


def test_a_zip_of_nothing_is_refused_in_the_requesters_language(login, register, start):
    response = start(login("hr"), {"organisation": "Không có"})

    assert response.status_code == 400
    assert response.json() == {
        "code": "nothing_to_download",
        "message": "Không có giấy chứng nhận nào khớp với bộ lọc.",
    }
    assert not BulkDownload.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"course": "1"}, "course"),
        ({"course": [-1]}, "course"),
        ({"status": ["lost"]}, "status"),
        ({"issued_to": "2024-13-01"}, "issued_to"),
        ({"issued_from": "2024-08-01", "issued_to": "2024-07-01"}, "issued_to"),
        ({"province": ["987654"]}, "province"),
    ],
)
def test_a_zip_with_bad_filters_is_refused(login, register, start, body, field):
    response = start(login("hr"), body)

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {field}
    assert not BulkDownload.objects.exists()


def test_the_register_reads_as_many_queries_for_a_full_page_as_for_a_short_one(world, login):
    hr = login("hr")
    url = reverse("lms_api:certificate-list")
    make_certificate(course=world.course, cohort=world.cohort)
    hr.get(url)  # the sites' root paths, cached by the first link
    with CaptureQueriesContext(connection) as few:
        assert len(hr.get(url).json()["results"]) == 1
    for _ in range(4):
        make_certificate(course=world.course, cohort=world.cohort)
    with CaptureQueriesContext(connection) as many:
        assert len(hr.get(url).json()["results"]) == 5
    assert len(many.captured_queries) == len(few.captured_queries)
