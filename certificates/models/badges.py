"""Open Badges bookkeeping: each certificate's place in a Bitstring Status List, and the
public halves of every badge signing key the issuer has used (its did:web document keeps
publishing them after a rotation, until one is retired)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StatusListEntry(models.Model):
    """Where a certificate's revocation bit is: list ``list_number``, bit ``index``. Indexes
    are drawn at random (``certificates.badges.allocation``) so that a credential's index
    tells nothing about when it was issued or who was issued next to it."""

    wagtail_reference_index_ignore = True

    certificate = models.OneToOneField(
        "certificates.Certificate",
        on_delete=models.CASCADE,
        related_name="status_entry",
        verbose_name=_("certificate"),
    )
    list_number = models.PositiveIntegerField(_("status list"))
    index = models.PositiveIntegerField(_("index in the list"))

    class Meta:
        verbose_name = _("status list entry")
        verbose_name_plural = _("status list entries")
        constraints = [
            models.UniqueConstraint(
                fields=["list_number", "index"], name="certificates_status_entry_unique_index"
            )
        ]

    def __str__(self) -> str:
        return f"{self.list_number}#{self.index}"


class BadgeKey(models.Model):
    """The public half of a badge signing key, recorded when it first signs. The private key
    never enters the database."""

    wagtail_reference_index_ignore = True

    kid = models.CharField(_("key id"), max_length=100, unique=True)
    public_jwk = models.JSONField(_("public key (JWK)"))
    first_used_at = models.DateTimeField(_("first used"), auto_now_add=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    retirement_reason = models.CharField(_("why it was retired"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("badge signing key")
        verbose_name_plural = _("badge signing keys")
        ordering = ["first_used_at", "pk"]

    def __str__(self) -> str:
        return self.kid
