"""Personal data across the apps (``courses.privacy``): every model declared, the export holds
every declared section, erasure leaves no trace of the person in any text column while the
registers and statistics keep their numbers, and bad requests change nothing."""

import json

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.test import override_settings

from certificates.models import BulkDownload, Certificate
from courses.models import DataRequest, Enrollment, ErasedAccount, SignupRequest
from courses.privacy import registry, services
from quizzes.models import Attempt, Response

pytestmark = pytest.mark.django_db

LMS_APPS = ("courses", "quizzes", "certificates")
ESSAY = "Bài làm riêng của chị An về hội nhập quốc tế"


def holds_person(model) -> bool:
    """A model that points at a user, or has its own field named like a person's name/email."""
    user_model = get_user_model()
    for field in model._meta.get_fields():
        if field.model is not model or field.auto_created:
            continue
        if field.is_relation and field.related_model is user_model:
            return True
        if isinstance(field, models.CharField) and ("name" in field.name or "email" in field.name):
            return True
    return False


def test_every_model_holding_a_person_is_declared():
    declared = registry.declared_models()
    reviewed = registry.reviewed_models()
    forgotten = [
        model._meta.label
        for app in LMS_APPS
        for model in apps.get_app_config(app).get_models()
        if holds_person(model)
        and model._meta.label_lower not in declared
        and model._meta.label_lower not in reviewed
    ]
    assert forgotten == []
    assert settings.AUTH_USER_MODEL.lower() in declared


def test_declared_fields_exist():
    for label, declaration in registry.declared_models().items():
        model = apps.get_model(label)
        names = {field.name for field in model._meta.get_fields()}
        assert set(declaration.fields) <= names, label


def test_the_export_holds_every_app_and_field(admin_world, django_assert_max_num_queries):
    delegate = admin_world.mine.delegate
    with django_assert_max_num_queries(12):
        sections = {section.key: section for section in services.export_sections(delegate)}
    assert {"account", "profile", "enrolments", "consents", "attempts", "answers"} <= set(sections)
    assert sections["profile"].rows[0][0] == "Nguyễn Văn An"
    assert [row[0] for row in sections["certificates"].rows] == [
        admin_world.mine.certificate.serial
    ]
    assert len(sections["attempts"].rows) == 2  # the submitted and the open one
    assert "Ý" in [row[3] for row in sections["answers"].rows]  # the essay's text
    assert sections["consents"].rows[0][0] == "2026-01"
    # Nothing of the other delegate
    assert "Trần Thị Bình" not in json.dumps([s.rows for s in sections.values()], default=str)


def text_columns_containing(needle: str) -> list[str]:
    """Every text and JSON column of every table holding ``needle`` (case-insensitive)."""
    found = []
    folded = needle.casefold()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.JSONField):
                values = model._base_manager.values_list(field.attname, flat=True)
                if any(folded in json.dumps(v, ensure_ascii=False).casefold() for v in values):
                    found.append(f"{model._meta.label}.{field.name}")
            elif isinstance(field, models.CharField | models.TextField | models.FileField):
                lookup = {f"{field.attname}__icontains": needle}
                if model._base_manager.filter(**lookup).exists():
                    found.append(f"{model._meta.label}.{field.name}")
    return found


def counts():
    return {
        "attempts": Attempt.objects.count(),
        "submitted": Attempt.objects.filter(state="submitted").count(),
        "responses": Response.objects.count(),
        "enrolments": Enrollment.objects.count(),
        "completed": Enrollment.objects.exclude(completed_at=None).count(),
        "certificates": Certificate.objects.count(),
        "valid": Certificate.objects.filter(status="valid").count(),
    }


@override_settings(LMS={"CERTIFICATES_STAY_VERIFIABLE": False})
def test_erasure_leaves_no_trace_and_keeps_the_numbers(admin_world):
    world = admin_world.mine
    delegate = world.delegate
    Response.objects.filter(pk=world.essay.pk).update(answer=ESSAY, grader_comment="Tốt, An ạ")
    SignupRequest.objects.create(email=delegate.email, password="x", profile={})
    services.open_request(user=delegate, kind="erasure", reason="Tôi là Nguyễn Văn An, xin xóa")
    before = counts()
    certificate_hash = world.certificate.pdf_sha256
    for needle in ("Nguyễn Văn An", delegate.email, ESSAY):
        assert text_columns_containing(needle), needle  # the search finds what is there

    erased = services.erase_user(user=delegate, actor=admin_world.admin)

    for needle in ("Nguyễn Văn An", delegate.email, ESSAY, "Tốt, An ạ"):
        assert text_columns_containing(needle) == [], needle
    assert counts() == before
    certificate = Certificate.objects.get(pk=world.certificate.pk)
    assert (certificate.serial, certificate.pdf_sha256) == (
        world.certificate.serial,
        certificate_hash,
    )
    assert certificate.full_name == "" and not certificate.pdf
    assert erased.erased_by == admin_world.admin and not erased.certificate_names_kept
    # The bulk ZIP holding the delegate's certificate is gone; the other course's stays
    world.bulk_zip.refresh_from_db()
    assert world.bulk_zip.state == "expired" and not world.bulk_zip.zip_file
    assert BulkDownload.objects.get(pk=admin_world.theirs.bulk_zip.pk).state == "done"
    delegate = get_user_model().objects.get(pk=delegate.pk)  # the world is shared
    assert not delegate.is_active and not delegate.has_usable_password()
    # The other delegate is untouched
    assert text_columns_containing("Trần Thị Bình")


def test_erasure_keeps_the_name_on_certificates_when_they_stay_verifiable(admin_world):
    world = admin_world.mine
    services.erase_user(user=world.delegate, actor=None)
    assert text_columns_containing("Nguyễn Văn An") == ["certificates.Certificate.full_name"]
    assert ErasedAccount.objects.get(user=world.delegate).certificate_names_kept


def test_an_account_that_issued_certificates_is_not_erased(admin_world):
    hr = admin_world.hr
    with pytest.raises(services.ErasureRefused, match="đã cấp 2 chứng nhận"):
        services.erase_user(user=hr, actor=admin_world.admin)
    hr = get_user_model().objects.get(pk=hr.pk)
    assert hr.email == "hr@example.vn" and hr.is_active
    assert not ErasedAccount.objects.exists()


def test_an_erased_account_is_not_erased_twice(admin_world):
    services.erase_user(user=admin_world.mine.delegate, actor=None)
    with pytest.raises(services.ErasureRefused):
        services.erase_user(user=admin_world.mine.delegate, actor=None)


def test_a_second_request_of_a_kind_is_refused_while_one_is_open(admin_world):
    delegate = admin_world.mine.delegate
    first = services.open_request(user=delegate, kind="erasure", reason="Không còn công tác")
    with pytest.raises(services.RequestAlreadyOpen):
        services.open_request(user=delegate, kind="erasure")
    assert DataRequest.objects.filter(user=delegate).count() == 1
    services.open_request(user=delegate, kind="export")  # another kind is fine
    services.cancel(data_request=first, user=delegate)
    services.open_request(user=delegate, kind="erasure")  # and again once closed


def test_carrying_out_an_erasure_request_records_who_and_what(admin_world):
    delegate = admin_world.mine.delegate
    data_request = services.open_request(user=delegate, kind="erasure", reason="Nghỉ hưu")
    assert (data_request.due_at - data_request.received_at).total_seconds() == 72 * 3600
    services.carry_out(data_request=data_request, actor=admin_world.admin)
    data_request.refresh_from_db()
    assert data_request.state == "done" and data_request.closed_by == admin_world.admin
    assert data_request.reason == "" and "Đã xóa dữ liệu cá nhân" in data_request.outcome
    with pytest.raises(services.RequestClosed):
        services.carry_out(data_request=data_request, actor=admin_world.admin)


def test_a_refused_erasure_request_stays_open(admin_world):
    data_request = services.open_request(user=admin_world.hr, kind="erasure", reason="Nghỉ việc")
    with pytest.raises(services.ErasureRefused):
        services.carry_out(data_request=data_request, actor=admin_world.admin)
    data_request.refresh_from_db()
    assert data_request.is_open and admin_world.hr.email == "hr@example.vn"


def test_withdrawal_and_consent(admin_world):
    delegate = admin_world.mine.delegate
    assert services.consent_is_current(delegate)  # the factory's
    services.withdraw_consent(user=delegate)
    assert not services.consent_is_current(delegate)
    services.record_consent(user=delegate)
    services.record_consent(user=delegate)  # idempotent
    assert services.consent_is_current(delegate)
    data_request = services.open_request(user=delegate, kind="withdrawal")
    services.carry_out(data_request=data_request, actor=admin_world.admin)
    assert not services.consent_is_current(delegate)
    with override_settings(LMS={"PRIVACY_NOTICE_VERSION": "2027-01"}):
        services.record_consent(user=delegate)
        assert services.consent_is_current(delegate)
    assert delegate.privacy_consents.count() == 3


def test_every_provider_exports_something_of_a_delegate_with_data_everywhere(admin_world):
    delegate = admin_world.mine.delegate
    for provider in registry.providers():
        sections = provider.export(delegate)
        assert any(section.rows for section in sections), provider.app_label
        for section in sections:
            assert all(len(row) == len(section.columns) for row in section.rows), section.key
