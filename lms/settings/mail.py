"""The email backend in the form the running Django reads: ``MAILERS`` from Django 6.1 on,
``EMAIL_BACKEND`` and ``EMAIL_*`` before (Django 5.2 LTS)."""

from typing import Any

import django

# MAILERS option -> the setting older releases read
LEGACY_OPTIONS = {
    "host": "EMAIL_HOST",
    "port": "EMAIL_PORT",
    "username": "EMAIL_HOST_USER",
    "password": "EMAIL_HOST_PASSWORD",
    "use_tls": "EMAIL_USE_TLS",
}


def configure(settings: dict, backend: str, **options: Any) -> None:
    if django.VERSION >= (6, 1):
        settings["MAILERS"] = {"default": {"BACKEND": backend, "OPTIONS": options}}
        return
    settings["EMAIL_BACKEND"] = backend
    for name, value in options.items():
        settings[LEGACY_OPTIONS[name]] = value
