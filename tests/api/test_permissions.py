"""Every endpoint, for every role. The matrix must name every URL the API router serves: a new
endpoint fails ``test_the_matrix_covers_every_endpoint`` until it has its row here."""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, reverse

from courses.api import urls as api
from courses.compat import APIToken
from tests.api.conftest import ROLES, World, finished_zip, issue_certificate


@dataclass(frozen=True)
class Case:
    """How to call one endpoint, and the status each role gets (in ``ROLES`` order)."""

    statuses: tuple[int, int, int, int, int, int, int]
    kwargs: Callable[[World], dict] = lambda world: {}
    body: Callable[[World], dict] | None = None
    multipart: bool = False  # send the body as a form with files, not JSON
    expect: dict[str, int] = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "expect", dict(zip(ROLES, self.statuses, strict=True)))


def pk(attribute: str) -> Callable[[World], dict]:
    return lambda world: {"pk": getattr(world, attribute).pk}


def certificate_of(attribute: str) -> Callable[[World], dict]:
    """The id of the enrolment's certificate (issued for the test)."""
    return lambda world: {"pk": issue_certificate(world, getattr(world, attribute)).pk}


def verification_code(world: World) -> dict:
    return {"code": issue_certificate(world, world.enrollment).verification_code}


def certificate_pdf(world: World) -> dict:
    pdf = issue_certificate(world, world.enrollment).pdf.open("rb").read()
    return {"file": SimpleUploadedFile("chung-nhan.pdf", pdf, content_type="application/pdf")}


def hr_zip(world: World) -> dict:
    return {"pk": finished_zip(world).pk}


#                anonymous, delegate, other delegate, trainer, other trainer, HR, superuser
PUBLIC = (200, 200, 200, 200, 200, 200, 200)
SIGNED_IN = (401, 200, 200, 200, 200, 200, 200)
OWN = (401, 200, 404, 404, 404, 404, 404)  # the delegate's own record: nobody else's business
STAFF_LIST = (401, 403, 403, 200, 200, 200, 200)
STAFF_OBJECT = (401, 403, 403, 200, 404, 200, 200)  # the trainer's cohort, not the other's
QUIZ = (401, 200, 404, 200, 404, 200, 200)  # enrolled, or following the course
HR = (401, 403, 403, 403, 403, 200, 200)  # the certificates register: HR and administrators

MATRIX: dict[tuple[str, str], Case] = {
    # courses
    ("course-list", "get"): Case(PUBLIC),
    ("course-detail", "get"): Case(PUBLIC, pk("course")),
    ("course-enrol", "post"): Case((401, 409, 201, 201, 201, 201, 201), pk("course")),
    ("enrolment-list", "get"): Case(SIGNED_IN),
    ("enrolment-detail", "get"): Case(OWN, pk("enrollment")),
    ("enrolment-join", "post"): Case(
        (401, 409, 201, 201, 201, 201, 201),
        body=lambda world: {"code": world.cohort.enrolment_code},
    ),
    ("item-complete", "post"): Case((401, 200, 403, 403, 403, 403, 403), pk("module")),
    ("cohort-list", "get"): Case(STAFF_LIST),
    ("cohort-detail", "get"): Case(STAFF_OBJECT, pk("cohort")),
    ("cohort-progress", "get"): Case(STAFF_OBJECT, pk("cohort")),
    # quizzes
    ("quiz-list", "get"): Case(SIGNED_IN),
    ("quiz-detail", "get"): Case(QUIZ, pk("quiz")),
    ("quiz-status", "get"): Case(QUIZ, pk("quiz")),
    # The delegate gets their open attempt back; trainers and HR are not enrolled.
    ("quiz-start", "post"): Case((401, 200, 404, 403, 404, 403, 201), pk("quiz")),
    ("attempt-list", "get"): Case(SIGNED_IN),
    ("attempt-detail", "get"): Case(OWN, pk("open_attempt")),
    ("attempt-save", "post"): Case(OWN, pk("open_attempt"), lambda world: {"answers": {}}),
    ("attempt-submit", "post"): Case(OWN, pk("open_attempt")),
    ("attempt-review", "get"): Case(OWN, pk("done_attempt")),
    ("delegate-attempt-list", "get"): Case(STAFF_LIST),
    ("delegate-attempt-detail", "get"): Case(STAFF_OBJECT, pk("done_attempt")),
    ("quiz-statistics-list", "get"): Case(STAFF_LIST),
    ("quiz-statistics-detail", "get"): Case(STAFF_OBJECT, pk("quiz")),
    # certificates
    ("my-certificate-list", "get"): Case(SIGNED_IN),
    ("my-certificate-detail", "get"): Case(OWN, certificate_of("enrollment")),
    ("my-certificate-pdf", "get"): Case(OWN, certificate_of("enrollment")),
    ("my-certificate-credential", "get"): Case(OWN, certificate_of("enrollment")),
    ("my-certificate-preparing", "get"): Case(SIGNED_IN),
    ("verification-detail", "get"): Case(PUBLIC, verification_code),
    ("verification-file", "post"): Case(PUBLIC, body=certificate_pdf, multipart=True),
    ("certificate-list", "get"): Case(HR),
    ("certificate-detail", "get"): Case(HR, certificate_of("other_enrollment")),
    ("certificate-pdf", "get"): Case(HR, certificate_of("other_enrollment")),
    ("certificate-export-csv", "get"): Case(HR),
    ("certificate-export-xlsx", "get"): Case(HR),
    # A ZIP job is its requester's (HR's here); superusers see every job, as in the admin.
    ("certificate-zip-list", "get"): Case(HR),
    ("certificate-zip-list", "post"): Case(
        (401, 403, 403, 403, 403, 202, 202),
        body=lambda world: {"course": [issue_certificate(world, world.enrollment).course_id]},
    ),
    ("certificate-zip-detail", "get"): Case(HR, hr_zip),
    ("certificate-zip-download", "get"): Case(HR, hr_zip),
    # schema
    ("schema", "get"): Case(PUBLIC),
}


def served_endpoints() -> set[tuple[str, str]]:
    """(URL name, method) of everything the API's URLconf serves."""
    endpoints = set()
    for pattern in api.urlpatterns:
        assert isinstance(pattern, URLPattern)
        if pattern.name is None:
            continue  # the JSON 404 for everything else
        actions = getattr(pattern.callback, "actions", None) or {"get": "get"}
        # HEAD is answered wherever GET is, by the same code.
        endpoints.update((pattern.name, method) for method in actions if method != "head")
    return endpoints


def test_the_matrix_covers_every_endpoint():
    served = served_endpoints()
    assert served - MATRIX.keys() == set(), "endpoints without a row in MATRIX"
    assert MATRIX.keys() - served == set(), "rows in MATRIX for endpoints that do not exist"


def call(client, name: str, method: str, case: Case, world: World):
    url = reverse(f"lms_api:{name}", kwargs=case.kwargs(world))
    body = case.body(world) if case.body else None
    if method == "get":
        return client.get(url)
    if case.multipart:
        return getattr(client, method)(url, body)
    return getattr(client, method)(url, body, content_type="application/json")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method"), sorted(MATRIX), ids=[f"{n}-{m}" for n, m in sorted(MATRIX)]
)
def test_role_matrix(login, world, name, method, role):
    case = MATRIX[(name, method)]

    response = call(login(role), name, method, case, world)

    assert response.status_code == case.expect[role], response.content[:500]
    if response.status_code >= 400:
        body = response.json()
        assert set(body) >= {"code", "message"}
        if response.status_code == 404:
            assert body == {"code": "not_found", "message": body["message"]}
        if response.status_code == 401:
            assert body["code"] == "not_authenticated"
            scheme = "Bearer" if APIToken is not None else "Session"  # Wagtail 7.4: no tokens
            assert response["WWW-Authenticate"].startswith(scheme)
