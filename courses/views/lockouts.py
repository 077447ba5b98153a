"""The Wagtail admin's "Sign-in lockouts" screen (Settings menu): recent failed sign-ins, who is
locked out until when, and unlocking an account (from every address) or an address (for every
account). Administrators only: it needs ``axes.delete_accessattempt``."""

import ipaddress
import logging

from django import forms
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from courses import lockout
from courses.admin_steps import PermissionRequiredMixin

PERMISSION = "axes.delete_accessattempt"
logger = logging.getLogger(__name__)


def lockout_urlpatterns() -> list:
    return [path("sign-in-lockouts/", LockoutsView.as_view(), name="courses_lockouts")]


class UnlockForm(forms.Form):
    account = forms.CharField(
        label=gettext_lazy("Account"),
        required=False,
        max_length=255,
        help_text=gettext_lazy("An email address or username."),
    )
    address = forms.CharField(
        label=gettext_lazy("Address"),
        required=False,
        max_length=64,
        help_text=gettext_lazy("An IPv4 or IPv6 address, e.g. 203.0.113.7."),
    )

    def clean_address(self) -> str:
        value = self.cleaned_data["address"].strip()
        if value:
            try:
                value = str(ipaddress.ip_address(value))
            except ValueError:
                raise forms.ValidationError(_("Enter an IPv4 or IPv6 address.")) from None
        return value

    def clean(self):
        cleaned = super().clean()
        if not self.errors and bool(cleaned.get("account")) == bool(cleaned.get("address")):
            raise forms.ValidationError(_("Enter either an account or an address to unlock."))
        return cleaned


class LockoutsView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    permission = PERMISSION
    forbidden_template_name = "courses/admin/lockouts_forbidden.html"
    template_name = "courses/admin/lockouts.html"
    page_title = gettext_lazy("Sign-in lockouts")
    header_icon = "lock"
    form_class = UnlockForm

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        now = timezone.now()
        return super().get_context_data(
            entries=lockout.recent_failures(now=now),
            failure_limit=lockout.failure_limit(),
            cool_off_minutes=int(lockout.cool_off().total_seconds() // 60),
            api_token_account=lockout.API_TOKEN_ACCOUNT,
            **kwargs,
        )

    def form_valid(self, form):
        account, address = form.cleaned_data["account"], form.cleaned_data["address"]
        if account:
            removed = lockout.unlock_account(login=account)
            target = account
        else:
            removed = lockout.unlock_address(address=address)
            target = address
        logger.info(
            "Sign-in lockout lifted for %s by %s (%d records)",
            target,
            self.request.user.get_username(),
            removed,
        )
        if removed:
            messages.success(
                self.request,
                ngettext(
                    "“%(target)s” is unlocked: %(count)s record of failed sign-ins was removed.",
                    "“%(target)s” is unlocked: %(count)s records of failed sign-ins were removed.",
                    removed,
                )
                % {"target": target, "count": removed},
            )
        else:
            messages.warning(
                self.request,
                _("“%(target)s” had no failed sign-ins to remove.") % {"target": target},
            )
        return HttpResponseRedirect(reverse("courses_lockouts"))

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response
