"""The supplement's JavaScript messages: Wagtail's admin catalogue (``wagtailadmin_javascript_
catalog``) reads only ``wagtail.admin``'s locale and the host's ``LOCALE_PATHS``, so this app
serves its own catalogue, which Django's script merges into the one already loaded."""

from django.urls import path, reverse
from django.utils.html import format_html
from django.views.i18n import JavaScriptCatalog
from wagtail import hooks

CATALOGUE_URL_NAME = "lms_wagtail_vi_javascript_catalog"


@hooks.register("register_admin_urls")
def register_javascript_catalogue():
    return [
        path(
            "lms-wagtail-vi/jsi18n/",
            JavaScriptCatalog.as_view(packages=["courses.wagtail_vi"]),
            name=CATALOGUE_URL_NAME,
        )
    ]


@hooks.register("insert_global_admin_js")
def load_javascript_catalogue():
    return format_html('<script src="{}"></script>', reverse(CATALOGUE_URL_NAME))
