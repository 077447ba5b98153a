"""The LMS's roles (Trainers, HR, Delegates) and the permissions each app grants them.

Apps add their own permissions in ``AppConfig.ready()`` with ``grant()``, so ``courses`` never needs
to know what ``quizzes`` or ``certificates`` define. ``courses.services.ensure_role_groups`` applies
them after every migrate.
"""

from collections import defaultdict

TRAINERS, HR, DELEGATES, DPO = "trainers", "hr", "delegates", "dpo"

_granted: dict[str, set[str]] = defaultdict(set)


def grant(role: str, *permissions: str) -> None:
    """Give ``role`` these permissions, as "app_label.codename"."""
    if role not in {TRAINERS, HR, DELEGATES, DPO}:
        raise ValueError(f"unknown role {role!r}")
    _granted[role].update(permissions)


def permissions_for(role: str) -> list[str]:
    return sorted(_granted[role])


grant(
    TRAINERS,
    "wagtailadmin.access_admin",
    "courses.view_cohort",
    "courses.view_enrollment",
    "courses.view_delegateprofile",
)
grant(
    HR,
    "wagtailadmin.access_admin",
    "courses.view_cohort",
    "courses.view_enrollment",
    "courses.view_delegateprofile",
    "courses.view_all_progress",
)
# The agency's data protection officer: the queue of personal data requests and the access log.
grant(DPO, "wagtailadmin.access_admin", "courses.handle_datarequest")
