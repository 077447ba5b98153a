"""The OpenAPI schema validates without a warning, and its documentation needs no CDN."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from courses.api.schema import SCHEMA_SETTINGS
from courses.compat import APIToken


def test_the_schema_validates_without_warnings(tmp_path):
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--custom-settings",
        "courses.api.schema.SCHEMA_SETTINGS",
        "--file",
        str(tmp_path / "schema.yaml"),
    )


@pytest.mark.django_db
def test_the_schema_is_served_to_everyone(client):
    response = client.get(reverse("lms_api:schema"), {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert all(path.startswith("/api/v1/") for path in schema["paths"])
    schemes = {"bearerAuth", "cookieAuth"} if APIToken is not None else {"cookieAuth"}
    assert set(schema["components"]["securitySchemes"]) == schemes


@pytest.mark.django_db
def test_the_documentation_is_served_without_a_cdn(client):
    response = client.get(reverse("api_docs"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn." not in html
    assert "//unpkg" not in html
    assert (
        client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css").status_code
        == 200
    )


def test_every_operation_documents_its_errors_in_the_error_shape(tmp_path):
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.settings import patched_settings

    with patched_settings(SCHEMA_SETTINGS):
        schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"401", "406"} <= codes, (method, path)
            for code, response in operation["responses"].items():
                if code >= "400":
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref == "#/components/schemas/Error", (method, path, code)
