"""A certificate's credential and the status lists, with the site's addresses and the key."""

import logging

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from certificates.badges import allocation, credentials, did, key_history, keys, status_list
from certificates.design import template_for
from certificates.models import Certificate, StatusListEntry
from courses.conf import lms_settings
from courses.sites import absolute_url, site_root_url

NOT_VALID = (Certificate.Status.REVOKED, Certificate.Status.SUPERSEDED)

logger = logging.getLogger(__name__)


class BadgesNotConfigured(Exception):
    """No signing key: certificates have no badge (the pages that would show one are 404)."""


def configured_key():
    """The key that signs, its public half recorded (so that the did:web document keeps it
    after a rotation). A retired key signs nothing: badges are then off until a new key."""
    key = keys.signing_key()
    if key is None:
        raise BadgesNotConfigured()
    try:
        key_history.remember(key)
    except key_history.KeyRetired as error:
        logger.error("%s", error.message)
        raise BadgesNotConfigured() from error
    return key


def issuer_did(*, page=None, request: HttpRequest | None = None) -> str:
    document_path = reverse("certificates:badge_issuer")
    return did.did_web(absolute_url(document_path, page=page, request=request))


def list_size() -> int:
    return int(lms_settings.BADGE_STATUS_LIST_BITS)


def status_list_url(list_number: int, *, page=None, request=None) -> str:
    path = reverse("certificates:badge_status_list", args=[list_number])
    return absolute_url(path, page=page, request=request)


def credential_url(certificate: Certificate) -> str:
    path = reverse("certificates:badge_public", args=[certificate.verification_code])
    return absolute_url(path, page=certificate.course)


def facts_for(certificate: Certificate) -> credentials.CredentialFacts:
    course = certificate.course
    entry = allocation.entry_for(certificate, size=list_size())
    list_number, index = entry.list_number, entry.index
    with translation.override(settings.LANGUAGE_CODE):  # credentials speak the site's language
        description = _("Completion of the training course “%(course)s”.") % {
            "course": certificate.course_title
        }
        criteria = _("Complete every required module and quiz of the course.")
    return credentials.CredentialFacts(
        credential_url=credential_url(certificate),
        issuer_did=issuer_did(page=course),
        issuer_name=template_for(course).issuing_body or str(settings.WAGTAIL_SITE_NAME),
        issuer_url=site_root_url(page=course) + "/",
        achievement_url=course.get_full_url() or site_root_url(page=course) + "/",
        achievement_name=certificate.course_title,
        achievement_description=description,
        criteria=criteria,
        holder_name=certificate.full_name,
        holder_email=certificate.user.email,
        email_salt=certificate.verification_code,
        issued_at=certificate.issued_at,
        valid_until=certificate.valid_until,
        time_zone=settings.TIME_ZONE,
        status_list_url=status_list_url(list_number, page=course),
        status_index=index,
    )


def credential_of(certificate: Certificate) -> dict:
    return credentials.build_credential(facts_for(certificate))


def signed_credential(certificate: Certificate) -> tuple[dict, str]:
    """The credential and its VC-JWT. Ed25519 signatures are deterministic: the same
    certificate always gives the same token, so nothing needs storing."""
    key = configured_key()
    credential = credential_of(certificate)
    return credential, credentials.sign(credential, key=key, issuer_did=credential["issuer"]["id"])


def status_list_jwt(list_number: int, *, request: HttpRequest) -> str:
    """The signed status list: a bit set for each revoked or superseded certificate."""
    key = configured_key()
    size = list_size()
    revoked = StatusListEntry.objects.filter(
        list_number=list_number, certificate__status__in=NOT_VALID
    ).values_list("index", flat=True)
    url = status_list_url(list_number, request=request)
    issuer = issuer_did(request=request)
    credential = credentials.build_status_list_credential(
        url=url,
        issuer_did=issuer,
        encoded_list=status_list.encode(revoked.iterator(), size=size),
        now=timezone.now(),
    )
    return credentials.sign(credential, key=key, issuer_did=issuer)


def issuer_document(*, request: HttpRequest) -> dict:
    key = configured_key()
    return did.document(issuer_did(request=request), jwks=key_history.published_jwks(key))
