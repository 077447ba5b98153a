from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_role_groups(sender, using="default", **kwargs):
    # post_migrate is sent once per app; the groups need every app's permissions to exist,
    # so wait for the last app that has models.
    last = [config for config in apps.get_app_configs() if config.models_module][-1]
    if sender.label != last.label or using != "default":
        return
    from courses.services import ensure_role_groups

    ensure_role_groups()


class CoursesConfig(AppConfig):
    name = "courses"
    label = "courses"
    verbose_name = _("Courses")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Like Django's own permissions, role groups follow every migrate (and test flush).
        post_migrate.connect(_ensure_role_groups, dispatch_uid="courses.ensure_role_groups")
        from courses import checks, outline_cache  # noqa: F401 (checks register on import)

        outline_cache.connect_receivers()
        from courses import user_cache

        user_cache.connect_receivers()
        from django.contrib.auth.signals import user_logged_in

        from courses.privacy import registry
        from courses.privacy.middleware import remember_consent
        from courses.privacy.provider import CoursesProvider

        registry.register(CoursesProvider())
        user_logged_in.connect(remember_consent, dispatch_uid="courses.privacy.remember_consent")
