"""The Wagtail admin toolkit that ``courses`` offers the other apps (part of its declared public
surface, see ``courses/__init__.py``). Import these names from here, not from the modules that
define them: those are ``courses``' own and may change.

Scoping (one access rule per object, ``courses.permissions``): ``ScopedViewSetMixin`` and
``ScopedChooserViewSet`` narrow a viewset's listings, choosers and objects to what the user may
reach (a denied object is a 404); ``ScopedModelFormMixin`` narrows a model form's choices.

Multi-step screens (upload -> preview -> confirm): ``PermissionRequiredMixin`` answers a user
without the permission with a 403 page, ``SessionStore`` keeps each step's data in the session
under a random token.

Listings and records: ``STATUS_LABELS`` and ``ProgressColumn`` show an enrolment's progress as
the cohorts' progress screens do; ``LocalTimeInspectView`` shows a record's times in the
viewer's time zone.
"""

from courses.admin_forms import ScopedModelFormMixin
from courses.admin_inspect import LocalTimeInspectView
from courses.admin_scope import ScopedChooserViewSet, ScopedViewSetMixin
from courses.admin_steps import PermissionRequiredMixin, SessionStore
from courses.admin_views import STATUS_LABELS, ProgressColumn

__all__ = [
    "STATUS_LABELS",
    "LocalTimeInspectView",
    "PermissionRequiredMixin",
    "ProgressColumn",
    "ScopedChooserViewSet",
    "ScopedModelFormMixin",
    "ScopedViewSetMixin",
    "SessionStore",
]
