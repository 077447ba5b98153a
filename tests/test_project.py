"""Project-wide checks: migrations match the models, production settings pass the deploy
checklist, and every template of ours compiles."""

import os
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.template.loader import get_template

BASE_DIR = Path(settings.BASE_DIR)


@pytest.mark.django_db
def test_models_and_migrations_agree():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:
        pytest.fail(f"Models have changes without migrations:\n{out.getvalue()}")


def run_with_production_settings(args: list[str], **environ: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "lms.example.vn",
        **environ,
    }
    env.pop("DEBUG", None)
    return subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deploy_checklist():
    result = run_with_production_settings(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output
    assert "System check identified no issues" in output


PROXY_AND_LOCKOUT_SELF_CHECK = """
import django
django.setup()
from django.conf import settings
print(settings.LMS["TRUSTED_PROXIES"], settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME)
"""


def test_production_reads_the_trusted_proxies_and_the_lockout_from_the_environment():
    result = run_with_production_settings(
        ["-c", PROXY_AND_LOCKOUT_SELF_CHECK],
        TRUSTED_PROXIES=" 127.0.0.1, 10.0.0.0/8 ,",
        LOGIN_FAILURE_LIMIT="8",
        LOGIN_COOLOFF_MINUTES="30",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['127.0.0.1', '10.0.0.0/8'] 8 0:30:00"


def test_the_deploy_check_refuses_a_trusted_proxy_that_is_not_an_address():
    result = run_with_production_settings(
        ["manage.py", "check", "--deploy"], TRUSTED_PROXIES="127.0.0.1,nginx"
    )

    assert result.returncode != 0
    assert "courses.E002" in result.stderr + result.stdout


REDIS_SELF_CHECK = """
import django
django.setup()
from django.conf import settings
from django.core.cache import cache, caches

assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
cache.set("lms-self-check", "Xin chào", 30)
assert cache.get("lms-self-check") == "Xin chào"
cache.delete("lms-self-check")
print(type(caches["default"]).__name__)
"""


def test_production_settings_with_redis_url_use_redis_for_the_cache_and_sessions():
    # The production settings name Django's Redis backend, made to survive an outage
    # (courses.redis_cache); it needs the redis package installed.
    result = run_with_production_settings(
        ["-c", REDIS_SELF_CHECK],
        REDIS_URL=os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13"),
    )

    output = result.stdout + result.stderr
    if "cannot be reached" in output and not os.environ.get("CI"):
        pytest.skip("No Redis server at REDIS_URL (CI has one).")
    assert result.returncode == 0, output
    assert result.stdout.strip() == "ResilientRedisCache"


def our_templates() -> list[str]:
    """Template names under the project's own apps and lms/templates (not Wagtail's)."""
    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    roots += [
        Path(config.path) / "templates"
        for config in apps.get_app_configs()
        if Path(config.path).parent == BASE_DIR  # our apps, not packages in a venv
    ]
    return sorted(
        str(path.relative_to(root))
        for root in roots
        if root.is_dir()
        for path in root.rglob("*")
        if path.is_file() and path.suffix in {".html", ".txt", ".xml"}
    )


def test_our_templates_are_found():
    names = our_templates()
    assert "courses/base.html" in names
    assert "courses/page.html" in names
    assert "courses/module_page.html" in names


@pytest.mark.parametrize("name", our_templates())
def test_template_compiles(name):
    get_template(name)


def test_every_lms_page_extends_the_lms_page_template():
    """LMS pages extend courses/page.html (which extends LMS["BASE_TEMPLATE"]), never a
    "base.html" a host may not have."""
    wrong = []
    for app in ("courses", "quizzes", "certificates"):
        for path in (BASE_DIR / app / "templates").rglob("*.html"):
            text = path.read_text()
            if "{% extends" not in text or path.name in {"page.html", "base.html"}:
                continue
            parent = text.split("{% extends", 1)[1].split("%}", 1)[0].strip()
            if "/admin/" not in str(path) and parent != '"courses/page.html"':
                wrong.append((str(path.relative_to(BASE_DIR)), parent))
    assert wrong == []
