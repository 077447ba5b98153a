from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_role_groups(sender, using="default", **kwargs):
    from courses.services import ensure_role_groups

    if using == "default":
        ensure_role_groups()


class CoursesConfig(AppConfig):
    name = "courses"
    label = "courses"
    verbose_name = _("Courses")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Like Django's own permissions, role groups follow every migrate (and test flush).
        post_migrate.connect(_ensure_role_groups, sender=self)
