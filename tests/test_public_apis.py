"""The apps use the frameworks' documented APIs only (scripts/check_public_apis.py, run by
``make lint``). No database."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location(
    "check_public_apis", ROOT / "scripts" / "check_public_apis.py"
)
check_public_apis = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_public_apis)


def messages(source: str) -> list[str]:
    return [finding.message for finding in check_public_apis.check_source(source)]


def test_the_apps_and_the_demo_site_use_no_private_framework_name():
    paths = [ROOT / name for name in check_public_apis.DEFAULT_PATHS]
    assert [str(f) for f in check_public_apis.check_paths(paths)] == []


# What the removed modules did, as they did it: each is refused.

PREPARED = '''
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.query import NamedValuesListIterable, ValuesListIterable
from django.db.models.sql.compiler import SQLCompiler
from django.db.models.utils import create_namedtuple_class

def fields(model, queryset):
    if queryset._iterable_class is NamedValuesListIterable:
        return model._meta.concrete_fields
'''

PREBUILT_SUBSETS = '''
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC, SUBSETN, TTFont
from reportlab.pdfbase.ttfonts import makeToUnicodeCMap as make_to_unicode_cmap

class PrebuiltSubsetFont(TTFont):
    def _seeded_state(self):
        return TTFont.State(self._asciiReadable, self)

    def addObjects(self, doc):
        state = self._assignState(doc)
'''

SCHEMA = '''
from drf_spectacular import openapi

class AutoSchema(openapi.AutoSchema):
    def statuses(self):
        return ["400"] if self._is_list_view() else []

    def _get_response_bodies(self, direction="response"):
        return super()._get_response_bodies(direction)
'''


def test_the_prepared_query_module_is_refused():
    found = messages(PREPARED)
    assert any("django.db.backends.base" in m for m in found)
    assert any("ValuesListIterable" in m and "NamedValues" not in m for m in found)
    assert any("NamedValuesListIterable" in m for m in found)
    assert any("django.db.models.sql" in m for m in found)
    assert any("django.db.models.utils" in m for m in found)
    assert any("_meta.concrete_fields" in m for m in found)


def test_the_prebuilt_subset_font_is_refused():
    found = messages(PREBUILT_SUBSETS)
    assert any("reportlab.pdfbase.pdfdoc" in m for m in found)
    for name in ("FF_NONSYMBOLIC", "FF_SYMBOLIC", "SUBSETN", "makeToUnicodeCMap"):
        assert any(name in m for m in found), name
    assert any("TTFont.State" in m for m in found)
    assert any("_asciiReadable" in m for m in found)
    assert any("_assignState" in m for m in found)


def test_drf_spectacular_private_hooks_are_refused():
    found = messages(SCHEMA)
    assert any("_is_list_view" in m for m in found)
    assert any("_get_response_bodies" in m for m in found)


@pytest.mark.parametrize(
    "source",
    [
        "from django.db.models.query import _get_order",
        "import wagtail._internal",
        "from rest_framework.fields import _UnvalidatedField",
        "from reportlab.pdfbase import pdfmetrics\npdfmetrics._fonts['x'] = 1",
        "import django.db.models.sql.compiler",
        "from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter",
        "from django.db.models import utils",
    ],
)
def test_a_private_or_undocumented_framework_name_is_refused(source):
    assert messages(source)


@pytest.mark.parametrize(
    "source",
    [
        "from django.utils.translation import gettext_lazy as _",
        "from django.db.models import Model\nModel._meta.get_field('pk').verbose_name",
        "from django.contrib.auth import get_user_model\nget_user_model()._default_manager",
        "def helper(page):\n    return page._meta.label_lower, page._state.adding",
        "from courses.services import _private_helper",  # our own modules: not a framework
        "class Mine:\n    def _own(self):\n        return self._cache",
        "from django.views import View\nclass Mine(View):\n"
        "    def _own(self):\n        return self._own()",
    ],
)
def test_documented_and_own_names_pass(source):
    assert messages(source) == []
