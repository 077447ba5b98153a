"""Status list indexes are drawn at random (Bitstring Status List: an index must not tell the
order of issue), unique in their list, and fixed once drawn."""

import pytest

from certificates import services
from certificates.badges import allocation, issuing
from certificates.models import StatusListEntry
from tests.certificates import factories as cf

pytestmark = pytest.mark.django_db

SIZE = 131_072


def issued(n: int):
    certificates = []
    for _ in range(n):
        enrollment = cf.completed_enrollment()
        certificates.append(
            services.issue_certificate(enrollment_id=enrollment.pk, notify=False)[0]
        )
    return certificates


def test_indexes_are_unique_and_do_not_follow_the_order_of_issue():
    certificates = issued(12)
    indexes = [issuing.facts_for(c).status_index for c in certificates]
    assert len(set(indexes)) == len(indexes)
    assert indexes != sorted(indexes)  # 1 chance in 12! of failing by luck
    assert all(0 <= i < SIZE for i in indexes)
    assert set(indexes) != {c.pk % SIZE for c in certificates}


def test_an_index_is_drawn_once_and_kept():
    (certificate,) = issued(1)
    first = issuing.facts_for(certificate).status_index
    assert issuing.facts_for(certificate).status_index == first
    assert StatusListEntry.objects.filter(certificate=certificate).count() == 1


def test_a_drawn_index_that_is_taken_is_drawn_again(monkeypatch):
    first, second = issued(2)
    taken = allocation.entry_for(first, size=SIZE).index
    draws = iter([taken, taken, (taken + 1) % SIZE])
    monkeypatch.setattr(allocation.secrets, "randbelow", lambda size: next(draws))
    assert allocation.entry_for(second, size=SIZE).index == (taken + 1) % SIZE


def test_a_half_full_list_opens_the_next_one():
    small = 64
    certificates = issued(small // 2 + 1)
    lists = [allocation.entry_for(c, size=small).list_number for c in certificates]
    assert lists[: small // 2] == [0] * (small // 2)
    assert lists[-1] == 1
