"""Who may see and change which LMS object: one permission policy per model.

Each policy is registered with Wagtail (``wagtail.permissions.register_permission_policy``) in
the app's ``wagtail_hooks``, so Wagtail's own views (listings, edit, delete, history, usage,
bulk actions) ask it; our views ask it too (through ``courses.admin_scope`` or
``instances_user_has_any_permission_for``). A model permission says what a role may do to the
model at all; the policy's ``reach()`` narrows that to the instances a user may do it to:

- trainers reach what belongs to the cohorts they train (cohorts, enrolments, attempts,
  certificates) or to those cohorts' courses (question banks, certificate templates);
- HR (``courses.view_all_progress``) reach every cohort's records and every course's template;
- superusers reach everything.

A policy states once, as a lookup to the owning cohort or course (``owner``), what owns an
instance; the same rule then filters querysets and checks single instances, so the two cannot
disagree.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Model, Q, QuerySet
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy

from courses import selectors
from courses.compat import permission_policy_for

WRITE_ACTIONS = frozenset({"add", "change", "delete"})
# What makes an instance show in a listing or a chooser: any of these on it.
VISIBLE_ACTIONS = ("view", "change", "delete")


@dataclass(frozen=True, slots=True)
class Reach:
    """The instances a user may act on, by their owner: ``owners`` the ids of the owning
    cohorts or courses (``None``: every owned instance), ``unowned`` those without an owner."""

    owners: frozenset[int] | None
    unowned: bool


EVERYTHING = Reach(owners=None, unowned=True)
NOTHING = Reach(owners=frozenset(), unowned=False)


class ScopedPermissionPolicy(ModelPermissionPolicy):
    """A model permission policy whose instances are narrowed per user by their owner.

    Subclasses set ``owner`` (a lookup from the model to the owning cohort's or course's id,
    e.g. ``"enrollment__cohort_id"``) and implement ``reach()``."""

    owner: str

    def reach(self, user, action: str) -> Reach:
        """Which instances ``user`` may ``action`` (given the model permission)."""
        raise NotImplementedError

    # Querysets

    def condition(self, reach: Reach) -> Q | None:
        """``reach`` as a filter on this model (``None``: no restriction)."""
        if reach == EVERYTHING:
            return None
        condition = Q(pk__in=[])
        if reach.owners is None:
            condition |= Q(**{f"{self.owner}__isnull": False})
        elif reach.owners:
            condition |= Q(**{f"{self.owner}__in": sorted(reach.owners)})
        if reach.unowned:
            condition |= Q(**{f"{self.owner}__isnull": True})
        return condition

    def narrow(self, queryset: QuerySet, user, actions: Iterable[str]) -> QuerySet:
        """``queryset`` without the instances on which ``user`` may do none of ``actions``."""
        if not user.is_active:
            return queryset.none()
        combined = None
        for action in actions:
            if not self.user_has_permission(user, action):
                continue
            condition = self.condition(self.reach(user, action))
            if condition is None:
                return queryset
            combined = condition if combined is None else combined | condition
        return queryset.none() if combined is None else queryset.filter(combined)

    def instances_user_has_any_permission_for(self, user, actions):
        return self.narrow(self.model._default_manager.all(), user, actions)

    # One instance

    def owner_of(self, instance: Model) -> int | None:
        value = instance
        for name in self.owner.split("__"):
            value = getattr(value, name, None)
            if value is None:
                return None
        return value

    def covers(self, reach: Reach, instance: Model) -> bool:
        if reach == EVERYTHING:
            return True
        owner = self.owner_of(instance)
        if owner is None:
            return reach.unowned
        return reach.owners is None or owner in reach.owners

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            user.is_active
            and self.user_has_permission(user, action)
            and self.covers(self.reach(user, action), instance)
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(
            self.user_has_permission_for_instance(user, action, instance) for action in actions
        )


class ReadOnlyMixin:
    """Records may be viewed (with the model's view permission) but never edited in the admin."""

    def user_has_permission(self, user, action):
        if action in WRITE_ACTIONS:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(set(actions) - WRITE_ACTIONS)


class ReadOnlyPermissionPolicy(ReadOnlyMixin, ModelPermissionPolicy):
    """A read-only record that every holder of the view permission may see."""


class CohortScopedPolicy(ScopedPermissionPolicy):
    """Records of a cohort: a trainer reaches those of the cohorts they train; HR and
    superusers every one (with or without a cohort)."""

    def reach(self, user, action: str) -> Reach:
        if user.is_superuser or selectors.follows_every_cohort(user):
            return EVERYTHING
        return Reach(owners=selectors.trained_cohort_ids(user), unowned=False)


class CohortPermissionPolicy(CohortScopedPolicy):
    owner = "pk"


class EnrollmentPermissionPolicy(ReadOnlyMixin, CohortScopedPolicy):
    owner = "cohort_id"


class CourseScopedPolicy(ScopedPermissionPolicy):
    """Things that belong to a course, or to none (shared, the default): trainers reach those of
    the courses they train, HR those of every course, superusers everything. Unowned instances are
    reached by superusers only, except for the actions in ``shared_actions``."""

    shared_actions: frozenset[str] = frozenset()

    def reach(self, user, action: str) -> Reach:
        if user.is_superuser:
            return EVERYTHING
        shared = action in self.shared_actions
        if selectors.follows_every_cohort(user):
            return Reach(owners=None, unowned=shared)
        return Reach(owners=selectors.trained_course_ids(user), unowned=shared)


def visible_choices(queryset: QuerySet, user) -> QuerySet:
    """``queryset`` as a choice list may show it to ``user`` (a listing's filter, a form's
    select): the instances its policy lets them see; for course pages and their items (quizzes),
    those of the courses they train unless they follow every cohort. Other models unchanged."""
    policy = permission_policy_for(queryset.model)
    if isinstance(policy, ScopedPermissionPolicy):
        return policy.narrow(queryset, user, VISIBLE_ACTIONS)
    if issubclass(queryset.model, Page) and not (
        user.is_superuser or selectors.follows_every_cohort(user)
    ):
        paths = selectors.trained_course_paths(user)
        condition = Q(pk__in=[])
        for path in paths:
            condition |= Q(path__startswith=path)
        return queryset.filter(condition)
    return queryset


def scope_page_choices(pages: QuerySet, user) -> QuerySet:
    """Pages a page chooser offers ``user``: every live page, and the drafts of the courses they
    train (HR and superusers: every page)."""
    if user.is_superuser or selectors.follows_every_cohort(user):
        return pages
    condition = Q(live=True)
    for path in selectors.trained_course_paths(user):
        condition |= Q(path__startswith=path)
    return pages.filter(condition)
