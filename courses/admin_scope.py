"""Admin viewsets whose every view finds its objects through the model's permission policy.

``ScopedViewSetMixin`` (for Wagtail's ``ModelViewSet``, ``SnippetViewSet`` and their chooser
viewsets) mixes ``ScopedViewMixin`` into every view the viewset builds, through the documented
``ViewSet.construct_view()``, so a view added later (by us or by a Wagtail upgrade) is scoped
too: its listing shows only what the user may see, and a URL naming any other object is a 404,
whatever the view. The rule itself lives in the model's policy (``courses.permissions``).
"""

import functools

import django_filters
from django.http import Http404
from wagtail.admin.views.generic import IndexView
from wagtail.snippets.views.chooser import SnippetChooserViewSet, SnippetCreateView

from courses.compat import PermissionPolicyMixin, permission_policy_for
from courses.permissions import VISIBLE_ACTIONS, ScopedPermissionPolicy, visible_choices


class ScopedViewMixin:
    """Listings narrowed to the instances the user may see; one instance a 404 unless the user
    may do the view's action on it (``permission_required``; seeing it, for views that read)."""

    @functools.cached_property
    def scope_policy(self) -> ScopedPermissionPolicy | None:
        model = getattr(self, "model", None) or getattr(self, "model_class", None)
        policy = permission_policy_for(model) if model is not None else None
        return policy if isinstance(policy, ScopedPermissionPolicy) else None

    def object_actions(self) -> tuple[str, ...]:
        required = getattr(self, "permission_required", None)
        if isinstance(required, str) and required != "add":
            return (required,)
        return VISIBLE_ACTIONS

    def scoped(self, queryset, actions=VISIBLE_ACTIONS):
        policy = self.scope_policy
        # History and usage listings list log entries and references, not the model.
        if policy is None or getattr(queryset, "model", None) is not policy.model:
            return queryset
        return policy.narrow(queryset, self.request.user, actions)

    def check_object(self, instance):
        policy = self.scope_policy
        if instance is None or instance.pk is None:  # a create view (or its preview): no object
            return instance
        if policy is not None and not policy.user_has_any_permission_for_instance(
            self.request.user, self.object_actions(), instance
        ):
            raise Http404
        return instance

    def setup(self, request, *args, **kwargs):
        # Before the view's own permission check: an object the user may not see is a 404 for
        # every view, whatever the user may do to the model (which a 403 or a redirect would
        # otherwise reveal first).
        self.request = request
        pk = kwargs.get("pk")
        policy = self.scope_policy
        if pk is not None and policy is not None:
            try:
                found = policy.model._default_manager.filter(pk=int(pk))  # integer keys only
            except ValueError:
                raise Http404 from None
            if not policy.narrow(found, request.user, VISIBLE_ACTIONS).exists():
                raise Http404
        super().setup(request, *args, **kwargs)

    # Generic model views (listing, edit, delete, inspect, history, usage, preview...)

    def get_base_queryset(self):
        return self.scoped(super().get_base_queryset())

    def get_object(self, *args, **kwargs):
        return self.check_object(super().get_object(*args, **kwargs))

    # Chooser views

    def get_object_list(self, *args, **kwargs):
        return self.scoped(super().get_object_list(*args, **kwargs))

    def get_objects(self, *args, **kwargs):
        return self.scoped(super().get_objects(*args, **kwargs))


def scope_filter_choices(filterset, request) -> None:
    """Narrow the choices of a filter set's model filters (a listing's "Cohort", "Course",
    "Quiz"...) to what the user may see, so no filter names another course's objects."""
    fields = filterset.form.fields  # Wagtail builds the form before the view sees it
    for name, model_filter in filterset.filters.items():
        if name not in fields or not isinstance(
            model_filter,
            django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter,
        ):
            continue
        fields[name].queryset = visible_choices(fields[name].queryset, request.user)


class ScopedIndexMixin(ScopedViewMixin):
    """A listing links each row to what the user may do with that row, and its filters offer
    only what the user may see."""

    @functools.cached_property
    def filters(self):
        filterset = super().filters
        if filterset is not None:
            scope_filter_choices(filterset, self.request)
        return filterset

    def allows(self, action: str, instance) -> bool:
        policy = self.scope_policy
        return policy is None or policy.user_has_permission_for_instance(
            self.request.user, action, instance
        )

    def get_edit_url(self, instance):
        return super().get_edit_url(instance) if self.allows("change", instance) else None

    def get_delete_url(self, instance):
        return super().get_delete_url(instance) if self.allows("delete", instance) else None

    def get_copy_url(self, instance):
        return super().get_copy_url(instance) if self.allows("change", instance) else None


@functools.cache
def scoped_view_class(view_class: type) -> type:
    if issubclass(view_class, ScopedViewMixin):
        return view_class
    mixin = ScopedIndexMixin if issubclass(view_class, IndexView) else ScopedViewMixin
    return type(view_class.__name__, (mixin, view_class), {"__module__": view_class.__module__})


class ScopedViewSetMixin(PermissionPolicyMixin):
    """Put first in a viewset's bases: every view it constructs is scoped."""

    def construct_view(self, view_class, **kwargs):
        return super().construct_view(scoped_view_class(view_class), **kwargs)


class NoCreationFormView(SnippetCreateView):
    """Wagtail routes a chooser's "create" URL even when the chooser offers no creation form, and
    a POST there fails on the missing form; without a form, the URL does not exist."""

    def dispatch(self, request, *args, **kwargs):
        if self.get_creation_form_class() is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ScopedChooserViewSet(ScopedViewSetMixin, SnippetChooserViewSet):
    """The chooser of a scoped snippet: it offers only what the user may see."""

    create_view_class = NoCreationFormView
