"""The log of staff looking at or exporting personal data (``PersonalDataAccess``).

``PersonalDataAccessMiddleware`` records, for anyone with access to the Wagtail admin:
every download (a response with ``Content-Disposition: attachment``: CSV/XLSX exports, the
certificate register, ZIPs, a delegate's data), every inspect view of a record, and every list
the API returns (with its count). The filters are the query string; the number of rows comes
from the response when the view says (``response.personal_data_rows``) or from the API's count.
Entries older than ``LMS["ACCESS_LOG_RETENTION_DAYS"]`` are deleted by ``apply_retention``.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from courses.models import PersonalDataAccess

# Views that show one person's records: logged as "view".
INSPECT_URL_SUFFIXES = (":inspect",)
INSPECT_URL_NAMES = {
    "quizzes_attempt_detail",
    "courses_cohort_progress",
    "courses_privacy_request",
}
NOT_LOGGED = {"courses:my_data_download"}  # a delegate's own data


def record_access(
    *,
    actor: AbstractBaseUser,
    action: str,
    what: str,
    path: str,
    filters: dict | None = None,
    rows: int | None = None,
    subject: AbstractBaseUser | None = None,
) -> PersonalDataAccess:
    return PersonalDataAccess.objects.create(
        actor=actor,
        at=timezone.now(),
        action=action,
        what=what[:200],
        path=path[:500],
        filters=filters or {},
        rows=rows,
        subject=subject,
    )


def _rows_of(response) -> int | None:
    rows = getattr(response, "personal_data_rows", None)
    if rows is not None:
        return rows
    data = getattr(response, "data", None)
    if isinstance(data, dict) and isinstance(data.get("count"), int):
        return data["count"]
    return None


def classify(request, response) -> str | None:
    """ "export", "view" or None (not logged)."""
    match = request.resolver_match
    if match is None or response.status_code != 200 or request.method != "GET":
        return None
    name = match.view_name
    if name in NOT_LOGGED:
        return None
    if "attachment" in response.get("Content-Disposition", ""):
        return "export"
    if name in INSPECT_URL_NAMES or name.endswith(INSPECT_URL_SUFFIXES):
        return "view"
    if "lms_api" in match.namespaces and _rows_of(response) is not None:
        return "export" if _lists_personal_data(response) else None
    return None


def _lists_personal_data(response) -> bool:
    """Whether an API list is of a model some provider declares (enrolments, attempts,
    certificates...), not of courses or questions."""
    from courses.privacy.registry import declared_models

    view = (getattr(response, "renderer_context", None) or {}).get("view")
    queryset = getattr(view, "queryset", None)
    model = getattr(queryset, "model", None)
    return model is not None and model._meta.label_lower in declared_models()


class PersonalDataAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        action = classify(request, response)
        if action and self.is_logged_user(request):
            record_access(
                actor=request.user,
                action=action,
                what=request.resolver_match.view_name,
                path=request.path,
                filters={key: request.GET.getlist(key) for key in request.GET},
                rows=_rows_of(response),
                subject=getattr(response, "personal_data_subject", None),
            )
        return response

    @staticmethod
    def is_logged_user(request) -> bool:
        """Staff (with access to the admin), on the admin, the site or the API; not a
        delegate reading their own records."""
        user = getattr(request, "user", None)
        return bool(user and user.is_authenticated and user.has_perm("wagtailadmin.access_admin"))
