"""The admin side of ``courses.privacy`` (imported by ``courses/wagtail_hooks.py``): log
actions, Wagtail's user deletion through the erasure service, the requests queue."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from courses.privacy import services
from courses.privacy.admin_views import PERMISSION, privacy_admin_urlpatterns


@hooks.register("register_log_actions")
def register_privacy_log_actions(actions):
    for action, label in (
        ("done", gettext_lazy("Request carried out")),
        ("refused", gettext_lazy("Request refused")),
        ("cancelled", gettext_lazy("Request cancelled")),
    ):
        actions.register_action(f"courses.privacy.{action}", label, label)


@hooks.register("before_delete_user")
def erase_instead_of_deleting(request, user):
    """Deleting a user in Wagtail's admin erases their personal data through the service,
    which keeps the records (attempts, certificates) that point at the account, anonymous,
    instead of failing on them. On POST only: the GET shows Wagtail's confirmation."""
    if request.method != "POST":
        return None
    try:
        services.erase_user(user=user, actor=request.user)
    except services.ErasureRefused as refusal:
        messages.error(request, refusal.message)
        return HttpResponseRedirect(reverse("wagtailusers_users:edit", args=[user.pk]))
    messages.success(
        request,
        _(
            "The user's personal data was erased. Their records (enrolments, attempts, "
            "certificates) are kept, anonymous."
        ),
    )
    return HttpResponseRedirect(reverse("wagtailusers_users:index"))


@hooks.register("register_admin_urls")
def register_privacy_admin_urls():
    return privacy_admin_urlpatterns()


class PrivacyMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_admin_menu_item")
def register_privacy_menu_item():
    return PrivacyMenuItem(
        gettext_lazy("Personal data"),
        reverse("courses_privacy_requests"),
        icon_name="lock",
        order=950,
    )
