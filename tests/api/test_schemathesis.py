"""Property-based tests of the API against its own OpenAPI schema (schemathesis), as every role.

Every operation gets a few deterministic examples per role and generation mode, sent in-process
to the Django WSGI application with the role's API token: no server error, and every response
(status code, content type, headers, body) as the schema documents it. Bounded so the module runs
in about a minute; part of the normal suite, and ``-m "not schemathesis"`` leaves it out.

(schemathesis's ``pytest.from_fixture`` does not run under pytest 9, so the operations are driven
through its Python API with Hypothesis here.)
"""

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode, checks

from courses.compat import APIToken
from tests.api.conftest import ROLES

pytestmark = [pytest.mark.django_db, pytest.mark.schemathesis]

MAX_EXAMPLES = 5

# Server errors and responses that contradict the schema. Not "positive data acceptance": the
# schema cannot say that answers are keyed by position, so a schema-valid body may be refused.
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]
NEGATIVE_CHECKS = [*CHECKS, checks.negative_data_rejection]


# Requests carry the role's token: schemathesis must not generate Authorization headers itself.
CONFIG = {"generation": {"with-security-parameters": False}}


@pytest.fixture
def wsgi_application():
    """Django's WSGI handler, keeping the database connection between requests.

    The handler closes the connection around each request (``close_old_connections``); inside the
    test's transaction that closes it for good on PostgreSQL, while SQLite's in-memory database
    ignores it. Django's test client unhooks it in the same way.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(world, wsgi_application):
    return schemathesis.openapi.from_wsgi(
        reverse("lms_api:schema") + "?format=json",
        wsgi_application,
        config=schemathesis.Config.from_dict(CONFIG),
    )


def headers_for(world, role: str) -> dict[str, str]:
    """Sign requests in as the role's user, with a fresh API token (with Wagtail 7.4, which has
    none, a session: writes are then refused for want of a CSRF token, as documented)."""
    user = world.user(role)
    if user is None:
        return {}
    if APIToken is None:
        client = Client()
        client.force_login(user)
        return {"Cookie": f"{django_settings.SESSION_COOKIE_NAME}={client.session.session_key}"}
    _token, plaintext = APIToken.create_token(user=user, name="schemathesis")
    return {"Authorization": f"Bearer {plaintext}"}


def fuzz(operation, mode: GenerationMode, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.call_and_validate(
            headers=headers,
            checks=NEGATIVE_CHECKS if mode == GenerationMode.NEGATIVE else CHECKS,
        )

    try:
        run()
    except Unsatisfiable:
        # An operation without parameters or body (e.g. "my certificates being prepared") has
        # nothing a request could get wrong: no negative example exists.
        if mode != GenerationMode.NEGATIVE:
            raise


# Schema-valid requests as every role; schema-violating ones (whose handling hardly depends on
# the role) as one role of each kind, to keep the module fast.
RUNS = [(role, GenerationMode.POSITIVE) for role in ROLES] + [
    (role, GenerationMode.NEGATIVE) for role in ("anonymous", "delegate", "hr")
]


@pytest.mark.parametrize(("role", "mode"), RUNS, ids=[f"{r}-{m.value}" for r, m in RUNS])
def test_the_api_keeps_to_its_schema(api_schema, world, role, mode):
    headers = headers_for(world, role)
    operations = [result.ok() for result in api_schema.get_all_operations()]

    for operation in operations:
        fuzz(operation, mode, headers)

    assert len(operations) >= 23
