"""Every URL of the admin and the site, for every role: the HTML twin of the API's matrix
(``tests/api/test_permissions.py``, which covers ``/api/v1/``).

The URL patterns are read from the URLconf (``get_resolver()``), not listed by hand: a pattern
without a row in ``ROWS`` fails ``test_every_url_has_a_row``. Each row says what each role gets
(in ``ROLES`` order: anonymous, the delegate and the trainer of the first course, those of the
second, HR, an administrator), with real objects of ``tests.admin_world`` put into the URL. A row
about an object of one course (``per_course``) is requested with the first course's object and
again with the second's; for the second, the two delegates and the two trainers swap outcomes, so
"the trainer reaches their course's cohort and gets a 404 for the other's" is one row.

Outcomes: ``OK`` 200; ``LOGIN`` a redirect to a sign-in page; ``HOME`` Wagtail's answer to a
permission denied (a redirect to the admin's dashboard); ``NOT_FOUND`` 404; ``FORBIDDEN`` 403;
``NOT_ALLOWED`` 405 (a POST-only URL asked with GET); ``REDIRECT`` another redirect (to where the
action leads). A row's ``method``/``data`` send a POST where the GET would prove nothing.
"""

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from io import BytesIO

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse_lazy
from wagtail import VERSION as WAGTAIL_VERSION

from courses.compat import APIToken
from tests.admin_world import ROLES, CourseWorld, World

pytestmark = pytest.mark.django_db

API_PREFIX = "api/v1/"  # covered by tests/api/test_permissions.py

OK, LOGIN, HOME, NOT_FOUND, FORBIDDEN, NOT_ALLOWED, REDIRECT, BROKEN = (
    "OK",
    "LOGIN",
    "HOME",
    "NOT_FOUND",
    "FORBIDDEN",
    "NOT_ALLOWED",
    "REDIRECT",
    "BROKEN",
)
CODES = {
    "O": OK,
    "L": LOGIN,
    "H": HOME,
    "N": NOT_FOUND,
    "F": FORBIDDEN,
    "M": NOT_ALLOWED,
    "R": REDIRECT,
    "B": BROKEN,  # 500: only Wagtail's deliberate error page
}
LOGIN_PATHS = ("/admin/login/", "/learn/login/", "/django-admin/login/")


def outcome_of(response) -> str:
    status = response.status_code
    if status in (301, 302, 303):
        location = response["Location"]
        if location.startswith(LOGIN_PATHS):
            return LOGIN
        if location == "/admin/":
            return HOME
        return REDIRECT
    known = {200: OK, 404: NOT_FOUND, 403: FORBIDDEN, 405: NOT_ALLOWED, 500: BROKEN}
    return known.get(status, str(status))


# The URL patterns


@dataclass(frozen=True)
class Entry:
    route: str  # the full pattern, e.g. "admin/cohorts/inspect/<int:pk>/"
    name: str  # "namespace:name", "" if unnamed
    params: tuple[str, ...]  # named parameters
    positional: int  # unnamed groups of a regex pattern


PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")


@functools.cache
def entries() -> tuple[Entry, ...]:
    found = []

    def walk(resolver, prefix, namespaces):
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                names = namespaces + ((pattern.namespace,) if pattern.namespace else ())
                walk(pattern, route, names)
                continue
            assert isinstance(pattern, URLPattern)
            params = tuple(a or b for a, b in PARAM.findall(route))
            regex = pattern.pattern.regex
            found.append(
                Entry(
                    route=route,
                    name=":".join((*namespaces, pattern.name)) if pattern.name else "",
                    params=params,
                    positional=regex.groups - len(regex.groupindex),
                )
            )

    walk(get_resolver(), "", ())
    return tuple(entry for entry in found if not entry.route.startswith(API_PREFIX))


def key_of(entry: Entry) -> str:
    """What rows match: the URL name, or the route of an unnamed pattern."""
    return entry.name or entry.route


def case_id(entry: Entry) -> str:
    """One test per pattern (two patterns may share a name, e.g. with and without an id)."""
    return f"{key_of(entry)} {entry.route}" if entry.name else entry.route


# The rows


@dataclass(frozen=True)
class Row:
    outcomes: str  # seven codes, e.g. "LLLOOOO"
    per_course: bool = False
    method: str = "get"
    data: Callable[[World, CourseWorld], dict] | None = None
    path: Callable[[World, CourseWorld, dict], str] | None = None  # what reverse() cannot build
    expect: dict[str, str] = field(init=False)

    def __post_init__(self):
        codes = self.outcomes.replace(" ", "")
        assert len(codes) == len(ROLES), self.outcomes
        object.__setattr__(self, "expect", dict(zip(ROLES, (CODES[c] for c in codes), strict=True)))

    def expected(self, role: str, theirs: bool) -> str:
        if theirs:
            role = {
                "delegate": "other_delegate",
                "other_delegate": "delegate",
                "trainer": "other_trainer",
                "other_trainer": "trainer",
            }.get(role, role)
        return self.expect[role]


def per_course(outcomes: str, **kwargs) -> Row:
    return Row(outcomes, per_course=True, **kwargs)


def post(outcomes: str, data=None, **kwargs) -> Row:
    return Row(outcomes, method="post", data=data or (lambda world, side: {}), **kwargs)


def grade(world, side) -> dict:
    return {f"r{side.essay.pk}-grade": "1", f"r{side.essay.pk}-comment": "Tốt"}


def open_attempt(name: str):
    return lambda world, side, objects: reverse_lazy(name, args=[side.open_attempt.pk])


def at(path: str):
    return lambda world, side, objects: path


# Rows are matched by URL name (or, for unnamed patterns, by route): exact names first, then
# shell-style patterns, in order. Codes: O OK, L LOGIN, H HOME, N NOT_FOUND, F FORBIDDEN,
# M NOT_ALLOWED, R REDIRECT, B BROKEN; in ROLES order:
#   anonymous, delegate, other delegate, trainer, other trainer, HR, admin
ROWS: dict[str, Row] = {
    # The site: delegates' own records, 404 for anyone else's
    "courses:catalogue": Row("RRRRRRR"),  # the header's link: to the site's catalogue page
    "courses:dashboard": Row("LOOOOOO"),
    "courses:profile": Row("LOOOOOO"),
    "courses:enrol_code": Row("LOOOOOO"),
    # Personal data: one's own; a request that is not one's own is a 404
    "courses:my_data": Row("LOOOOOO"),
    "courses:my_data_download": Row("LOOOOOO"),
    "courses:my_data_request": post("LRRRRRR", data=lambda world, side: {"kind": "restriction"}),
    "courses:my_data_cancel": post("LNNNNNN"),
    "courses:privacy_notice": Row("OOOOOOO"),
    "courses:withdraw_consent": post("LRRRRRR"),
    "courses:password_change": Row("LOOOOOO"),
    "courses:signup": Row("ORRRRRR"),  # signed in: to the dashboard
    "courses:signup_sent": Row("OOOOOOO"),
    "courses:signup_confirm": Row("OOOOOOO"),  # an unknown link says so
    "courses:login": Row("ORRRRRR"),
    "courses:logout": post("RRRRRRR"),
    "courses:password_reset": Row("OOOOOOO"),
    "courses:password_reset_done": Row("OOOOOOO"),
    "courses:password_set": Row("OOOOOOO"),  # an invalid link says so
    "courses:password_set_done": Row("OOOOOOO"),
    # Enrolling and completing: the course's own delegate is already enrolled (back to the course)
    "courses:enrol": post("LRRRRRR", per_course=True),
    "courses:complete": post("LRRRRRR", per_course=True),
    "quizzes:start": post("LRRRRRR", per_course=True),
    "quizzes:attempt": per_course("LRNNNNN"),  # a submitted attempt leads to its review
    "quizzes:summary": per_course("LRNNNNN"),
    "quizzes:save": post("LRNNNNN", per_course=True, path=open_attempt("quizzes:save")),
    "quizzes:submit": post("LRNNNNN", per_course=True, path=open_attempt("quizzes:submit")),
    "quizzes:review": per_course("LONNNNN"),
    "certificates:mine": Row("LOOOOOO"),
    "certificates:download": per_course("LONNNNN"),
    "certificates:verify": Row("OOOOOOO"),
    "certificates:verify_code": per_course("OOOOOOO"),
    "certificates:verify_file": Row("MMMMMMM"),  # POST with a file: tests/certificates
    # Open Badges (tests/certificates/test_badges.py): the owner's downloads; public documents
    "certificates:badge_download": per_course("LONNNNN"),
    "certificates:renew": post("LRNNNNN", per_course=True),  # not renewable: back with a message
    "certificates:badge_public": per_course("OOOOOOO"),
    "certificates:badge_issuer": Row("OOOOOOO"),
    "certificates:badge_status_list": Row("OOOOOOO"),
    "set_language": Row("RRRRRRR"),
    # The demo's redirect for certificates printed with /verify/<code>/
    "^verify/(?P<rest>.*)$": Row("RRRRRRR", path=at("/verify/ABCD2345/")),
    "wagtail_serve": per_course("OOOOOOO", path=lambda world, side, objects: side.course.url),
    "wagtailcore_login": Row("OOOOOOO"),
    "wagtailcore_authenticate_with_password": Row("NNNNNNN"),
    "wagtaildocs_authenticate_with_password": Row("NNNNNNN"),
    "wagtaildocs_serve": Row(
        "OOOOOOO",
        path=lambda world, side, objects: objects["document"].url,
    ),
    # Cohorts and enrolments: a trainer's own cohort, HR every one; changes are administrators'
    "cohorts:index": Row("LLLOOOO"),
    "cohorts:index_results": Row("LLLOOOO"),
    "cohorts:add": Row("LLLHHHO"),
    "cohorts:inspect": per_course("LLLONOO"),
    "cohorts:edit": per_course("LLLHNHO"),
    "cohorts:history": per_course("LLLHNHO"),
    "cohorts:history_results": per_course("LLLHNHO"),
    "cohorts:delete": per_course("LLLNNNO"),
    "cohorts:usage": per_course("LLLNNNO"),
    "courses_cohort_progress": per_course("LLLONOO"),
    "courses_cohort_progress_results": per_course("LLLONOO"),
    "courses_roster_upload": per_course("LLLFFFO"),
    "courses_roster_template": per_course("LLLFFFO"),
    "courses_roster_preview": per_course("LLLFFFR"),  # an expired token: back to the upload
    "courses_roster_confirm": per_course("LLLFFFR"),
    "courses_roster_result": per_course("LLLFFFN"),
    "courses_roster_result_csv": per_course("LLLFFFN"),
    "enrollments:index": Row("LLLOOOO"),
    "enrollments:index_results": Row("LLLOOOO"),
    "enrollments:inspect": per_course("LLLONOO"),
    # Records: no add, edit or delete for anyone; another course's is a 404 before that
    "enrollments:add": Row("LLLHHHH"),
    "enrollments:edit": per_course("LLLHNHH"),
    "enrollments:history": per_course("LLLHNHH"),
    "enrollments:history_results": per_course("LLLHNHH"),
    "enrollments:delete": per_course("LLLNNNN"),
    "enrollments:usage": per_course("LLLNNNN"),
    "attempts:index": Row("LLLOOOO"),
    "attempts:index_results": Row("LLLOOOO"),
    "attempts:add": Row("LLLHHHH"),
    "attempts:edit": per_course("LLLHNHH"),
    "attempts:history": per_course("LLLHNHH"),
    "attempts:history_results": per_course("LLLHNHH"),
    "attempts:delete": per_course("LLLNNNN"),
    "attempts:usage": per_course("LLLNNNN"),
    # Quizzes: answers, grading, regrading, exports and statistics of the trainer's cohorts
    "quizzes_attempt_detail": per_course("LLLONOO"),
    "quizzes_grade": post("LLLRNHR", data=grade, per_course=True),
    "quizzes_grading_queue": Row("LLLOOHO"),
    "quizzes_regrade": per_course("LLLONHO"),
    "quizzes_regrade_status": per_course("LLLONHO"),
    "quizzes_responses_export": per_course("LLLONOO"),
    "quizzes_statistics_index": Row("LLLOOOO"),
    "quizzes_statistics": per_course("LLLONOO"),
    "quizzes_statistics_results": per_course("LLLONOO"),
    # The question bank: own and shared banks; HR has none
    "quizzes_import": Row("LLLOOFO"),
    "quizzes_import_template": Row("LLLOOFO"),
    "quizzes_import_preview": Row("LLLRRFR"),  # an unknown token: back to the upload
    "quizzes_import_confirm": Row("LLLRRFR"),
    "quizzes_import_result": Row("LLLNNFN"),
    "quizzes_export": Row("LLLOOFO"),
    "quizzes_export_download": Row("LLLNNFN"),  # without a selection
    # Trying a question: the course's trainers (the other's get a 404), HR nothing
    "wagtailsnippets_quizzes_question:preview_question": per_course("LLLONNO"),
    # Building a quiz from the bank: whoever may edit the quiz page
    "quizzes_add_questions": per_course("LLLONNO"),
    # The Vietnamese supplement's script catalogue: every admin user
    "lms_wagtail_vi_javascript_catalog": Row("LLLOOOO"),
    # Certificates: the register and ZIPs are HR's; the completion report follows cohorts
    "certificate_completion:index": Row("LLLOOOO"),
    "certificate_completion:index_results": Row("LLLOOOO"),
    "certificate_register:index": Row("LLLHHOO"),
    "certificate_register:index_results": Row("LLLHHOO"),
    "certificate_register:inspect": per_course("LLLHHOO"),
    "certificate_register:download": per_course("LLLHHOO"),
    "certificate_register:revoke": per_course("LLLHHOO"),
    "certificate_register:reissue": per_course("LLLHHOO"),
    "certificate_register:issue": Row("LLLHHOO"),
    "certificates_bulk_start": Row("LLLFFOO"),
    "certificates_bulk_status": per_course("LLLFFOO"),
    "certificates_bulk_download": per_course("LLLFFOO"),
    "certificates_bulk_resume": post("LLLFFRR", per_course=True),
    # Wagtail's page admin: a trainer edits their course's pages only
    "wagtailadmin_explore_root": Row("LLLRRHO"),  # to the trainer's own course
    "wagtailadmin_explore": per_course("LLLORHO"),
    "wagtailadmin_explore_results": per_course("LLLORHO"),
    "wagtailadmin_pages:search": Row("LLLOOHO"),
    "wagtailadmin_pages:search_results": Row("LLLOOHO"),
    "wagtailadmin_pages:type_use": Row("LLLOOHO"),
    "wagtailadmin_pages:type_use_results": Row("LLLOOHO"),
    "wagtailadmin_pages:choose_parent": Row("LLLNNNN"),
    "wagtailadmin_pages:move_confirm": per_course("LLLOOOO"),
    "wagtailadmin_pages:confirm_workflow_cancellation": per_course("LLLOOOO"),
    "wagtailadmin_pages:delete": per_course("LLLHHHO"),
    "wagtailadmin_pages:revisions_index": per_course("LLLRRRR"),
    "wagtailadmin_pages:workflow_history_detail": per_course("LLLNHHN"),
    "wagtailadmin_pages:workflow_preview": per_course("LLLHHHH"),
    "wagtailadmin_api:pages:listing": Row("LLLOOOO"),
    "wagtailadmin_api:pages:detail": per_course("LLLONNO"),
    # Wagtail's admin for everyone with access: dashboard, account, choosers, media libraries
    "wagtailadmin_home": Row("LLLOOOO"),
    "courses_lockouts": Row("LLLFFFO"),  # unlocking sign-ins: administrators
    # Personal data requests and the access log: data protection officers (and administrators)
    "courses_privacy_requests": Row("LLLFFFO"),
    "courses_privacy_request_new": Row("LLLFFFO"),
    "courses_privacy_request": Row("LLLFFFN"),  # an unknown request
    "courses_privacy_request_export": Row("LLLFFFN"),
    "courses_privacy_access": Row("LLLFFFO"),
    "wagtailadmin_account": Row("LLLOOOO"),
    "wagtailadmin_dismissibles": Row("LLLOOOO"),
    "wagtailadmin_tag_autocomplete": Row("LLLOOOO"),
    "wagtailadmin_tag_model_autocomplete": Row("LLLNNNN"),
    "wagtailadmin_block_preview": Row("LLLNNNN"),
    "wagtailadmin_login": Row("OOOHHHH"),
    "wagtailadmin_logout": post("LLLLLLL"),  # signed out, to the sign-in page
    "wagtailadmin_javascript_catalog": Row("OOOOOOO"),
    "wagtailadmin_sprite": Row("OOOOOOO"),
    "wagtailadmin_error_test": Row("LLLBBBB"),
    "admin/test404/": Row("LLLOOOO", path=at("/admin/test404/")),  # Wagtail's 404 page
    "admin/^.*/$": Row("LLLNNNN", path=at("/admin/nowhere/")),
    "wagtailadmin_reports:site_history": Row("LLLFFOO"),  # courses.site_history
    "wagtailadmin_reports:site_history_results": Row("LLLFFOO"),
    "wagtailadmin_reports:page_types_usage": Row("LLLFFHO"),  # HR edit no pages
    "wagtailadmin_reports:page_types_usage_results": Row("LLLFFHO"),
    "wagtailsnippets:index": Row("LLLHHHH"),
    "wagtail_bulk_action": Row("LLLNNNN"),
    # Wagtail 8's API tokens (Wagtail 7.4 has none)
    **({"wagtailusers_api_tokens:delete": Row("LLLNNHO")} if APIToken is not None else {}),
    "wagtailadmin_collections:delete": Row("LLLNNNO"),
    "wagtailadmin_workflows:select_task_type": Row("LLLHHHR"),
    "wagtailadmin_workflows:add_task": Row("LLLNNNN"),
    "wagtailimages:url_generator": Row("LLLNNHN"),
    "wagtailimages:url_generator_output": Row("LLLNNHN"),
    "wagtailredirects:process_import": Row("LLLHHHM"),
    "wagtailsettings:preview_on_edit": Row("LLLNNNN"),
    "wagtailforms:delete_submissions": Row("LLLHHHH"),
    "wagtailforms:list_submissions": Row("LLLNNNN"),
    "wagtailforms:list_submissions_results": Row("LLLNNNN"),
    # Django's own admin: superusers only (trainers and HR are not staff)
    "admin:login": Row("OOOOOOR"),
    "admin:logout": post("RRRRRRR"),
    "admin:app_list": Row("LLLLLLO", path=at("/django-admin/auth/")),
    "admin:autocomplete": Row("LLLLLLF"),
    "admin:view_on_site": Row("LLLLLLN"),
    "django-admin/(?P<url>.*)$": Row("LLLLLLN", path=at("/django-admin/nowhere/")),
}

FAMILIES: list[tuple[str, Row]] = [
    # Certificate templates: a course's trainers and HR; the default template administrators'
    ("wagtailsnippets_certificates_certificatetemplate:delete", per_course("LLLNNNO")),
    ("wagtailsnippets_certificates_certificatetemplate:list*", Row("LLLOOOO")),
    ("wagtailsnippets_certificates_certificatetemplate:*_add", Row("LLLOOOO")),
    ("wagtailsnippets_certificates_certificatetemplate:add", Row("LLLOOOO")),
    ("wagtailsnippets_certificates_certificatetemplate:*", per_course("LLLONOO")),
    ("wagtailsnippetchoosers_certificates_certificatetemplate:chosen", per_course("LLLONOO")),
    # The snippet choosers offer no creation form: their "create" URL does not exist
    ("wagtailsnippetchoosers_certificates_certificatetemplate:create", Row("LLLNNNN")),
    ("wagtailsnippetchoosers_certificates_certificatetemplate:*", Row("LLLOOOO")),
    # Questions and categories: a course's trainers; HR none
    ("wagtailsnippets_quizzes_*:delete", per_course("LLLNNNO")),
    ("wagtailsnippets_quizzes_*:list*", Row("LLLOOHO")),
    ("wagtailsnippets_quizzes_*:add", Row("LLLOOHO")),
    ("wagtailsnippets_quizzes_*", per_course("LLLONNO")),
    ("wagtailsnippetchoosers_quizzes_*:chosen", per_course("LLLONNO")),
    ("wagtailsnippetchoosers_quizzes_*:create", Row("LLLNNNN")),
    ("wagtailsnippetchoosers_quizzes_*", Row("LLLOOOO")),
    # The register is read-only: nothing to add, edit or delete, even for administrators
    ("certificate_register:*", Row("LLLHHHH")),
    # Signing keys: administrators only
    ("certificate_signers:*", Row("LLLHHHO")),
    # Pages: the course's trainer edits it; the other trainer and HR are refused
    ("wagtailadmin_pages:*lock", per_course("LLLMMMM")),
    ("wagtailadmin_pages:set_page_position", per_course("LLLMMMM")),
    ("wagtailadmin_pages:convert_alias", per_course("LLLNNNN")),
    ("wagtailadmin_pages:*workflow_action*", per_course("LLLNNNN")),
    ("wagtailadmin_pages:*", per_course("LLLOHHO")),
    ("wagtailadmin_api:pages:action", per_course("LLLMMMM")),
    ("wagtailadmin_api:*:listing", Row("LLLOOOO")),
    ("wagtailadmin_api:*", Row("LLLNNNN")),
    # Page, link, embed and task choosers: for whoever may edit a page
    ("wagtailadmin_choose_*", Row("LLLOOOO")),
    ("wagtailembeds:*", Row("LLLOOOO")),
    ("wagtailadmin_workflows:task_cho*", Row("LLLOOOO")),
    ("wagtailadmin_editing_sessions:*", Row("LLLMMMM")),
    # Images and documents: a shared library trainers add to (the root collection)
    ("wagtail*:add_multiple", Row("LLLOOHO")),
    ("wagtail*_chooser:chosen_multiple", Row("LLLOOOO")),
    ("wagtail*:*_multiple*", Row("LLLMMMM")),
    ("wagtailimages:add", Row("LLLOOHO")),
    ("wagtailimages:index*", Row("LLLOOHO")),
    ("wagtaildocs:add", Row("LLLOOHO")),
    ("wagtaildocs:index*", Row("LLLOOHO")),
    ("wagtaildocs:*", Row("LLLHHHO")),
    ("wagtailimages:*", Row("LLLHHHO")),
    ("wagtail*_chooser:chosen", Row("LLLOOHO")),
    ("wagtail*_chooser:create", Row("LLLOOHO")),
    ("wagtailimages_chooser:select_format", Row("LLLOOHO")),
    ("wagtail*_chooser:*", Row("LLLOOOO")),
    # Reports of pages, for page editors
    ("wagtailadmin_reports:*", Row("LLLOOHO")),
    ("wagtailforms:*", Row("LLLOOHO")),
    # Site settings: administrators only
    ("wagtailadmin_workflows:enable*", Row("LLLMMMM")),
    ("wagtailadmin_workflows:remove", Row("LLLMMMM")),
    ("wagtailadmin_workflows:*", Row("LLLHHHO")),
    ("wagtailusers_*", Row("LLLHHHO")),
    ("wagtailsites:*", Row("LLLHHHO")),
    ("wagtailadmin_collections:*", Row("LLLHHHO")),
    ("wagtailredirects:*", Row("LLLHHHO")),
    ("provinces:*", Row("LLLHHHO")),
    ("former_provinces:*", Row("LLLHHHO")),
    ("wagtailadmin_password_reset*", Row("OOOOOOO")),
    ("wagtailsettings:*", Row("LLLNNNN")),  # no setting models are registered
    # Django's admin: an unknown object sends the administrator back to the list
    ("admin:django_tasks_database_dbtaskresult_add", Row("LLLLLLF")),  # results are the worker's
    ("admin:django_tasks_database_dbtaskresult_delete", Row("LLLLLLF")),
    ("admin:*_add", Row("LLLLLLO")),
    ("admin:*_changelist", Row("LLLLLLO")),
    ("admin:*password_change*", Row("LLLLLLO")),
    ("admin:index", Row("LLLLLLO")),
    ("admin:jsi18n", Row("LLLLLLO")),
    ("admin:taggit_tag_merge_tags", Row("LLLLLLO")),
    ("admin:*", Row("LLLLLLR")),
    ("django-admin/*/<path:object_id>/", Row("LLLLLLR", path=at("/django-admin/auth/group/0/"))),
]


# Wagtail 7.4 LTS (the matrix's LTS combination): where its own views answer differently. The
# same people are let in and kept out; 7.4 differs in how it says no, or in the HTTP method.
WAGTAIL_7_ROWS: dict[str, Row] = {
    "wagtailadmin_pages:set_page_position": per_course("LLLOHHO"),  # 7.4 also answers a GET
    "wagtailadmin_pages:revisions_compare": per_course(  # a regex with unnamed groups in 7.4
        "LLLOHHO",
        path=lambda world, side, objects: (
            f"/admin/pages/{side.course.pk}/revisions/compare/earliest...latest/"
        ),
    ),
    "wagtailadmin_workflows:add_task": Row("LLLHHHN"),  # permission checked before the lookup
    "wagtailimages:url_generator": Row("LLLNNNN"),  # the lookup before the permission
    "wagtailimages:url_generator_output": Row("LLLNNNN"),
    # 7.4's format step of the image chooser checks no permission: it shows the chosen image's
    # title and format choices to anyone in the admin (Wagtail 8 asks for choose_image).
    "wagtailimages_chooser:select_format": Row("LLLOOOO"),
}


def row_for(entry: Entry) -> Row | None:
    key = key_of(entry)
    if WAGTAIL_VERSION < (8,) and key in WAGTAIL_7_ROWS:
        return WAGTAIL_7_ROWS[key]
    if key in ROWS:
        return ROWS[key]
    for pattern, row in FAMILIES:
        if fnmatchcase(key, pattern):
            return row
    return None


def test_every_url_has_a_row():
    missing = sorted(case_id(entry) for entry in entries() if row_for(entry) is None)
    assert missing == [], "URL patterns without a row in ROWS or FAMILIES"


def test_every_row_names_a_url():
    keys = {key_of(entry) for entry in entries()}
    assert set(ROWS) - keys == set(), "rows in ROWS for URLs that do not exist"
    for pattern, _row in FAMILIES:
        assert any(fnmatchcase(key, pattern) for key in keys), pattern


# Objects for the parameters


def tiny_png() -> bytes:
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def _wagtail_objects(_shared_admin_world, django_db_blocker):
    """Objects of Wagtail's own admin, added to the world (inside its transaction)."""
    from django.contrib.auth.models import Group
    from django.core.files.base import ContentFile
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.documents.models import Document
    from wagtail.images.models import Image
    from wagtail.models import Collection, GroupApprovalTask, Site, Workflow

    world = _shared_admin_world
    with django_db_blocker.unblock():
        root = Collection.get_first_root_node()
        collection = root.add_child(name="Tư liệu hội nghị")
        image = Image.objects.create(
            title="Ảnh hội nghị",
            file=ContentFile(tiny_png(), name="hoi-nghi.png"),
            collection=root,
            uploaded_by_user=world.admin,
        )
        document = Document.objects.create(
            title="Báo cáo", file=ContentFile(b"%PDF-1.4", name="bao-cao.pdf"), collection=root
        )
        workflow = Workflow.objects.create(name="Duyệt bài")
        task = GroupApprovalTask.objects.create(name="Biên tập viên duyệt")
        redirect = Redirect.objects.create(old_path="/cu", redirect_link="/learn/")
        for course_world in (world.mine, world.theirs):
            course_world.course.save_revision(user=world.admin)
        token = None
        if APIToken is not None:  # Wagtail 8
            token, _plaintext = APIToken.create_token(user=world.hr, name="Hệ thống nhân sự")
        yield {
            "token": token,
            "collection": collection,
            "image": image,
            "document": document,
            "workflow": workflow,
            "task": task,
            "redirect": redirect,
            "site": Site.objects.get(is_default_site=True),
            "group": Group.objects.get(name="HR"),
        }


@pytest.fixture
def wagtail_objects(_wagtail_objects, admin_world):
    return _wagtail_objects


UNKNOWN = 999_999  # an id nothing has


def side_objects(world: World, side: CourseWorld, objects: dict) -> dict:
    """The value of each URL parameter, by name (and for ``pk`` by namespace)."""
    course = side.course
    revision = course.latest_revision
    return {
        # LMS objects, of the side's course
        "course_id": course.pk,
        "cohort_id": side.cohort.pk,
        "quiz_id": side.quiz.pk,
        "attempt_id": side.attempt.pk,
        "response_id": side.essay.pk,
        "job_id": side.bulk_zip.pk,
        "regrade_id": side.regrade.pk,
        "request_id": UNKNOWN,  # personal data requests: tests/courses/test_privacy_admin.py
        "certificate_id": side.certificate.pk,
        "code": side.certificate.verification_code,
        "fmt": "csv",
        "badge_format": "png",
        "list_number": 0,
        "token": "an-expired-token",
        # pages: the side's course
        "page_id": course.pk,
        "parent_page_id": course.pk,
        "page_to_move_id": side.module.pk,
        "destination_id": course.pk,
        "page_pk": course.pk,
        "revision_id": revision.pk,
        "revision_id_a": "earliest",
        "revision_id_b": "latest",
        "content_type_app_name": "courses",
        "content_type_model_name": "modulepage",
        # Wagtail's own objects
        "image_id": objects["image"].pk,
        "document_id": objects["document"].pk,
        "doc_id": objects["document"].pk,
        "collection_id": objects["collection"].pk,
        "task_id": objects["task"].pk,
        "workflow_pk": objects["workflow"].pk,
        "uploaded_file_id": UNKNOWN,
        "task_state_id": UNKNOWN,
        "workflow_state_id": UNKNOWN,
        "session_id": UNKNOWN,
        "restriction_id": UNKNOWN,
        "page_view_restriction_id": UNKNOWN,
        "filter_spec": "original",
        "redirect_id": objects["redirect"].pk,
        "action_name": "approve",
        "action": "delete",
        "app_label": "quizzes",
        "model_name": "question",
        "app_name": "wagtailimages",
        "object_id": "0",  # Django's admin: no such object
        "uidb64": "MQ",
        "id": world.admin.pk,
        "content_type_id": "1",
        "url": "nowhere/",
        "path": "",
    }


def signer_of(template):
    from certificates.models import CertificateSigner

    signer, _created = CertificateSigner.objects.get_or_create(
        template=template, defaults={"kind": "pkcs12", "signer_name": "Nguyễn Văn An"}
    )
    return signer


PK_BY_NAMESPACE = {
    "cohorts": lambda world, side, objects: side.cohort.pk,
    "enrollments": lambda world, side, objects: side.enrollment.pk,
    "attempts": lambda world, side, objects: side.attempt.pk,
    "certificate_register": lambda world, side, objects: side.certificate.pk,
    "certificate_signers": lambda world, side, objects: signer_of(side.template).pk,
    "wagtailsnippets_certificates_certificatetemplate": lambda w, side, o: side.template.pk,
    "wagtailsnippetchoosers_certificates_certificatetemplate": lambda w, side, o: side.template.pk,
    "wagtailsnippets_quizzes_question": lambda world, side, objects: side.question.pk,
    "wagtailsnippetchoosers_quizzes_question": lambda world, side, objects: side.question.pk,
    "wagtailsnippets_quizzes_questioncategory": lambda world, side, objects: side.category.pk,
    "wagtailsnippetchoosers_quizzes_questioncategory": lambda w, side, o: side.category.pk,
    "wagtailadmin_api": lambda world, side, objects: side.course.pk,
    "wagtailadmin_pages": lambda world, side, objects: side.course.pk,
    "wagtailadmin_collections": lambda world, side, objects: objects["collection"].pk,
    "wagtailadmin_workflows": lambda world, side, objects: objects["workflow"].pk,
    "wagtailusers_users": lambda world, side, objects: side.trainer.pk,
    "wagtailusers_groups": lambda world, side, objects: objects["group"].pk,
    "wagtailusers_api_tokens": lambda world, side, objects: objects["token"].pk,
    "wagtailsites": lambda world, side, objects: objects["site"].pk,
    "wagtaildocs_chooser": lambda world, side, objects: objects["document"].pk,
    "wagtailimages_chooser": lambda world, side, objects: objects["image"].pk,
    "provinces": lambda world, side, objects: 1,
    "former_provinces": lambda world, side, objects: 1,
    "wagtailsettings": lambda world, side, objects: 1,
}
TASK_URLS = (
    "wagtailadmin_workflows:edit_task",
    "wagtailadmin_workflows:disable_task",
    "wagtailadmin_workflows:enable_task",
)
PK_BY_NAME = {
    "courses_cohort_progress": lambda world, side, objects: side.cohort.pk,
    "courses_cohort_progress_results": lambda world, side, objects: side.cohort.pk,
}


def path_of(entry: Entry, world: World, side: CourseWorld, objects: dict) -> str:
    from django.urls import reverse

    values = side_objects(world, side, objects)
    namespace = entry.name.rpartition(":")[0]
    kwargs = {}
    for param in entry.params:
        if param == "pk":
            if entry.name in TASK_URLS:
                kwargs[param] = objects["task"].pk
            elif entry.name in PK_BY_NAME:
                kwargs[param] = PK_BY_NAME[entry.name](world, side, objects)
            else:
                kwargs[param] = PK_BY_NAMESPACE[namespace.split(":")[0]](world, side, objects)
        else:
            kwargs[param] = values[param]
    if entry.name and not entry.positional:
        return reverse(entry.name, kwargs=kwargs)
    raise LookupError(entry.route)  # the row gives its path


def request(client: Client, entry: Entry, row: Row, world, side, objects):
    path = row.path(world, side, objects) if row.path else path_of(entry, world, side, objects)
    if row.method == "post":
        return client.post(path, row.data(world, side))
    return client.get(path)


def cases() -> list[tuple[str, bool]]:
    return [
        (case_id(entry), theirs)
        for entry in entries()
        if (row := row_for(entry)) is not None
        for theirs in ((False, True) if row.per_course else (False,))
    ]


@pytest.fixture(scope="module")
def _session_keys(_shared_admin_world, django_db_blocker) -> dict[str, str]:
    """A signed-in session per role, made once (a sign-out in one case is rolled back)."""
    keys = {}
    with django_db_blocker.unblock():
        for role in ROLES:
            if (user := _shared_admin_world.user(role)) is not None:
                client = Client()
                client.force_login(user)
                keys[role] = client.session.session_key
    return keys


@pytest.fixture
def clients(_session_keys, admin_world):
    """``clients(role)``: a new client in the role's session (what one request changes in the
    client, such as a sign-out, stays with it)."""
    from django.conf import settings

    def make(role: str) -> Client:
        client = Client(raise_request_exception=False)
        if role in _session_keys:
            client.cookies[settings.SESSION_COOKIE_NAME] = _session_keys[role]
        return client

    return make


@pytest.mark.parametrize(
    ("key", "theirs"),
    cases(),
    ids=[f"{key} ({'theirs' if theirs else 'mine'})" for key, theirs in cases()],
)
def test_role_matrix(admin_world, wagtail_objects, clients, key, theirs):
    (entry,) = [e for e in entries() if case_id(e) == key]
    row = row_for(entry)
    side = admin_world.theirs if theirs else admin_world.mine
    got = {}
    for role in ROLES:
        response = request(clients(role), entry, row, admin_world, side, wagtail_objects)
        got[role] = outcome_of(response)
    expected = {role: row.expected(role, theirs) for role in ROLES}
    assert got == expected
