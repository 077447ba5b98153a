from rest_framework import permissions

from courses import selectors


def follows_cohorts(user) -> bool:
    """HR (``courses.view_all_progress``), superusers, and the trainers of at least one cohort."""
    return bool(user and user.is_authenticated) and (
        user.has_perm("courses.view_all_progress") or selectors.cohorts_visible_to(user).exists()
    )


class FollowsCohorts(permissions.BasePermission):
    """Trainers' and HR's endpoints. Objects outside the user's scope are then 404: the views'
    querysets come from ``cohorts_visible_to`` and its kin."""

    def has_permission(self, request, view) -> bool:
        return follows_cohorts(request.user)
