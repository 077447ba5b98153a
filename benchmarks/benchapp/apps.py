from django.apps import AppConfig


class BenchAppConfig(AppConfig):
    """A bench-only app: the bare Wagtail page and the trivial view that the module page is
    measured against. Installed by ``lms.settings.bench`` only."""

    name = "benchmarks.benchapp"
    label = "benchapp"
    default_auto_field = "django.db.models.BigAutoField"
