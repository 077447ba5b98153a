"""The packaging tests build the wheel from a clean clone and install it into fresh virtualenvs:
minutes of work, so they run only when asked (``PACKAGING_TESTS=1``, as ``.ci/run`` does):

    PACKAGING_TESTS=1 .venv/bin/pytest tests/packaging
"""

import os

import pytest


def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.packaging)
            if os.environ.get("PACKAGING_TESTS") != "1":
                item.add_marker(pytest.mark.skip(reason="set PACKAGING_TESTS=1 to run"))
