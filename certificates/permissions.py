"""Who reaches which certificate template (see ``courses.permissions``).

A template belongs to a course: the course's trainers and HR edit it. The default template (no
course), which every course without its own uses, is changed by superusers only.
"""

from courses.permissions import CourseScopedPolicy


class CertificateTemplatePermissionPolicy(CourseScopedPolicy):
    owner = "course_id"
