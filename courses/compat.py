"""What differs between the Django and Wagtail releases the LMS supports, in one module.

Django 5.2 LTS and 6.x, Wagtail 7.4 LTS and 8.x. The apps import these names from here and never
test versions themselves, so dropping a release means deleting its branch below.
"""

from collections.abc import Sequence
from importlib.util import find_spec

from django.core.mail import EmailMessage
from django.utils.functional import cached_property

# Background tasks: Django 6.0 ships ``django.tasks``; on 5.2 the django-tasks package is the same
# API under another name (and reads the same ``TASKS`` setting).
try:
    from django.tasks import TaskContext, task
except ImportError:  # Django 5.2
    from django_tasks import TaskContext, task

# Email: Django 6.1 configures connections as ``MAILERS`` and deprecates ``get_connection()``.
try:
    from django.core.mail import mailers
except ImportError:  # Django < 6.1
    mailers = None

# API tokens: Wagtail 8 has them; with 7.4 the LMS API accepts sessions only.
try:
    from wagtail.models import APIToken
except ImportError:  # Wagtail 7.4
    APIToken = None

# Permission policies: Wagtail 8 keeps a registry that every admin view reads; with 7.4 a
# viewset's policy is its own attribute, so viewsets take PermissionPolicyMixin to read ours.
_policies: dict = {}
try:
    from wagtail.permissions import policy_registry, register_permission_policy

    VIEWSETS_READ_POLICY_REGISTRY = True

    def permission_policy_for(model):
        """The policy registered for ``model`` (Wagtail's model-wide one when none is)."""
        return policy_registry.get_by_type(model)

except ImportError:  # Wagtail 7.4
    VIEWSETS_READ_POLICY_REGISTRY = False

    def register_permission_policy(model, policy=None, exact_class=False):
        _policies[model] = policy

    def permission_policy_for(model):
        """The policy registered for ``model`` (Wagtail's model-wide one when none is)."""
        from wagtail.permission_policies import ModelPermissionPolicy

        return _policies.get(model) or ModelPermissionPolicy(model)


# Content-Security-Policy: Django 6 writes the response's nonce into a policy as the string
# ``CSP.NONCE``; django-csp (what a Django 5.2 site runs) as its own ``csp.constants.NONCE``
# object. Either may be in the site's policy, and neither is a source to write into a header.
def _csp_nonce_placeholders() -> tuple:
    found = []
    try:
        from django.utils.csp import CSP

        found.append(CSP.NONCE)
    except ImportError:  # Django 5.2
        pass
    try:
        from csp.constants import NONCE

        found.append(NONCE)
    except ImportError:  # no django-csp
        pass
    return tuple(found)


CSP_NONCE_PLACEHOLDERS = _csp_nonce_placeholders()


class PermissionPolicyMixin:
    """For admin viewsets of models with a registered permission policy."""

    if not VIEWSETS_READ_POLICY_REGISTRY:

        @cached_property
        def permission_policy(self):
            return _policies.get(self.model) or super().permission_policy


__all__ = [
    "APIToken",
    "CSP_NONCE_PLACEHOLDERS",
    "PermissionPolicyMixin",
    "READS_MARKDOWN",
    "TaskContext",
    "markdown_to_rich_text",
    "permission_policy_for",
    "register_permission_policy",
    "sanitize_rich_text",
    "send_messages",
    "task",
]


def send_messages(messages: Sequence[EmailMessage]) -> int:
    """Send ``messages`` over one connection of the default mailer; the number sent."""
    if mailers is not None:
        return mailers.default.send_messages(messages) or 0
    from django.core.mail import get_connection

    return get_connection().send_messages(messages) or 0


# Rich text from imported files: Wagtail 8 sanitises database HTML and reads Markdown
# (wagtail.api.rich_text); 7.4 has the editor's converter, which keeps only the features
# through a round trip (through its public form widget: what an editor's save does), and no
# Markdown reader.


def sanitize_rich_text(html: str, *, features: list[str]) -> tuple[str, bool]:
    """Database HTML keeping only the rich text ``features``; and whether anything was removed."""
    try:
        from wagtail.api.rich_text import APIRichText
    except ImportError:  # Wagtail 7.4
        return _round_trip(html, features)
    cleaned, removals = APIRichText.sanitize_db_html(html, features=features)
    return cleaned, bool(removals)


class MarkdownError(ValueError):
    pass


READS_MARKDOWN = find_spec("wagtail.api.rich_text") is not None


def markdown_to_rich_text(text: str, *, features: list[str]) -> tuple[str, bool] | None:
    """Markdown as database HTML with only ``features``, and whether anything was removed;
    None where Wagtail cannot read Markdown (7.4). Raises MarkdownError for unreadable text."""
    try:
        from wagtail.api.rich_text import APIRichText, RichTextFormatError
    except ImportError:  # Wagtail 7.4
        return None
    try:
        cleaned, removals = APIRichText.convert_db_markdown_input(text, features=features)
    except RichTextFormatError as error:
        raise MarkdownError(str(error)) from error
    return cleaned, bool(removals)


# Elements the round trip writes differently without losing anything.
_SAME_ELEMENT = {"strong": "b", "em": "i", "div": "p"}


def _round_trip(html: str, features: list[str]) -> tuple[str, bool]:
    from bs4 import BeautifulSoup
    from wagtail.admin.rich_text import DraftailRichTextArea

    widget = DraftailRichTextArea(features=features)
    editor_value = widget.format_value(html)
    saved = widget.value_from_datadict({"rich_text": editor_value}, {}, "rich_text")
    soup = BeautifulSoup(saved, "html.parser")
    for element in soup.find_all(attrs={"data-block-key": True}):
        del element["data-block-key"]  # the editor's own bookkeeping, made up on the way
    cleaned = str(soup)

    def inventory(markup: str) -> set[tuple[str, str]]:
        found = set()
        for element in BeautifulSoup(markup, "html.parser").find_all(True):
            name = _SAME_ELEMENT.get(element.name, element.name)
            found.add((name, ""))
            found.update((name, attribute) for attribute in element.attrs)
        return found

    return cleaned, bool(inventory(html) - inventory(cleaned))
