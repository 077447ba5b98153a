"""Each certificate's place in a Bitstring Status List, drawn at random.

The Bitstring Status List specification (§6.4 "Herd privacy" / "Unlinkability") recommends
random indexes: a sequential index tells a reader of the list roughly how many certificates were
issued before this one and whose bits sit next to it. An index is drawn uniformly from the
list's free bits with ``secrets`` and kept (``StatusListEntry``); the database's unique
constraint on (list, index) settles two draws of the same bit at once, and the loser draws
again. A list is filled to half its size before the next one is opened, so a draw rarely
collides and a list still hides each credential among tens of thousands.
"""

import secrets

from django.db import IntegrityError, transaction
from django.db.models import Count, Max

from certificates.models import Certificate, StatusListEntry

FILL_RATIO = 0.5
MAX_DRAWS = 64


class StatusListFull(Exception):
    """No free index was drawn in ``MAX_DRAWS`` tries (not expected below ``FILL_RATIO``)."""


def open_list(*, size: int) -> int:
    """The list new certificates go to: the last one, until it is half full."""
    last = StatusListEntry.objects.aggregate(last=Max("list_number"))["last"] or 0
    used = StatusListEntry.objects.filter(list_number=last).aggregate(n=Count("pk"))["n"]
    return last + 1 if used >= size * FILL_RATIO else last


def entry_for(certificate: Certificate, *, size: int) -> StatusListEntry:
    """The certificate's entry, drawn on first use (idempotent, safe under concurrency)."""
    entry = StatusListEntry.objects.filter(certificate=certificate).first()
    if entry is not None:
        return entry
    list_number = open_list(size=size)
    for _draw in range(MAX_DRAWS):
        try:
            with transaction.atomic():
                return StatusListEntry.objects.create(
                    certificate=certificate, list_number=list_number, index=secrets.randbelow(size)
                )
        except IntegrityError:
            entry = StatusListEntry.objects.filter(certificate=certificate).first()
            if entry is not None:  # another request drew this certificate's entry first
                return entry
    raise StatusListFull(f"No free index in status list {list_number} after {MAX_DRAWS} draws.")
