from django.utils import timezone

from certificates.models import CertificateTemplate
from tests import factories


def template(course=None, **kwargs) -> CertificateTemplate:
    kwargs.setdefault("name", "Mẫu chính thức")
    kwargs.setdefault("issuing_body", "BAN TUYÊN GIÁO TRUNG ƯƠNG")
    kwargs.setdefault("place", "Hà Nội")
    return CertificateTemplate.objects.create(course=course, **kwargs)


def completed_enrollment(*, full_name="Nguyễn Thị Ánh Tuyết", course=None, cohort=None):
    profile = factories.DelegateProfileFactory(full_name=full_name)
    course = course or (cohort.course if cohort else factories.course(modules=1))
    return factories.EnrollmentFactory(
        user=profile.user,
        course=course,
        cohort=cohort,
        province=profile.province,
        organisation=profile.organisation,
        position=profile.position,
        completed_at=timezone.now(),
    )
