from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.text import collapse_spaces


class Province(models.Model):
    """A provincial-level unit (34 since 1 July 2025). Data, seeded by a migration."""

    class Kind(models.TextChoices):
        CITY = "city", _("Centrally run city")
        PROVINCE = "province", _("Province")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive provinces are hidden from sign-up forms.")
    )

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class FormerProvince(models.Model):
    """One of the 63 units in force before July 2025, mapped to the province it became part of."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    successor = models.ForeignKey(
        Province,
        on_delete=models.CASCADE,
        related_name="former_units",
        verbose_name=_("merged into"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("former province")
        verbose_name_plural = _("former provinces")

    def __str__(self) -> str:
        return self.name


class DelegateProfile(models.Model):
    """Who a learner is, as certificates and HR reports will show them."""

    wagtail_reference_index_ignore = True  # records: nothing "uses" them

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="delegate_profile",
        verbose_name=_("user"),
    )
    full_name = models.CharField(_("full name"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=200)
    position = models.CharField(_("position"), max_length=150, blank=True)
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        related_name="delegates",
        verbose_name=_("province"),
        null=True,
        blank=True,
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("delegate profile")
        verbose_name_plural = _("delegate profiles")

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        self.full_name = collapse_spaces(self.full_name)
        self.organisation = collapse_spaces(self.organisation)
        self.position = collapse_spaces(self.position)


class SignupRequest(models.Model):
    """A sign-up waiting for its email address to be confirmed (``courses.signup``).

    No account exists for it yet: the account is created when the link emailed to the address
    is followed, so a sign-up never reveals, takes or changes an account. The details wait here,
    the password only as a hash, until then or until they expire.
    """

    wagtail_reference_index_ignore = True

    email = models.EmailField(_("email"), max_length=150, db_index=True)
    password = models.CharField(_("password"), max_length=128)  # a hash (make_password)
    # register_delegate()'s keyword arguments (the province by id).
    profile = models.JSONField(_("profile"), default=dict)
    # The privacy notice consented to on the form: {"version": ..., "given_at": ISO time}.
    consent = models.JSONField(_("consent"), default=dict, blank=True)
    next_url = models.CharField(_("next page"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("sign-up awaiting confirmation")
        verbose_name_plural = _("sign-ups awaiting confirmation")

    def __str__(self) -> str:
        return self.email
