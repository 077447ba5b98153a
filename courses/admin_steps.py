"""What the admin's multi-step screens share (roster import, question import and export, bulk
certificate ZIPs): a permission check answered with a 403 page, and work kept in the session
between an upload, its preview and its confirmation."""

from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _


class PermissionRequiredMixin:
    """``permission`` or a 403 rendering ``forbidden_template_name``: Wagtail's admin would turn a
    raised PermissionDenied into a redirect to the dashboard, which hides why."""

    permission: str
    forbidden_template_name: str

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            return TemplateResponse(
                request,
                self.forbidden_template_name,
                {"header_title": _("Permission denied"), "page_title": _("Permission denied")},
                status=403,
            )
        return self.prepare() or super().dispatch(request, *args, **kwargs)

    def prepare(self):
        """Load what the view needs once permission is granted; a response ends the request."""
        return None


class SessionStore:
    """Pending and finished steps by token in the user's session, the newest ``kept`` only."""

    def __init__(self, session_key: str, *, kept: int = 3) -> None:
        self.session_key, self.kept = session_key, kept

    def all(self, request: HttpRequest) -> dict:
        return request.session.get(self.session_key, {})

    def get(self, request: HttpRequest, token: str) -> dict | None:
        return self.all(request).get(token)

    def keep(self, request: HttpRequest, token: str, data: dict) -> None:
        entries = {key: value for key, value in self.all(request).items() if key != token}
        entries[token] = data
        while len(entries) > self.kept:
            entries.pop(next(iter(entries)))
        request.session[self.session_key] = entries
