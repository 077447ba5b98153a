"""The admin side of ``courses.privacy`` (imported by ``courses/wagtail_hooks.py``): log
actions, Wagtail's user deletion through the erasure service, the requests queue."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks

from courses.privacy import services


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
