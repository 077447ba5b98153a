"""The wheel and the sdist hold exactly the three apps, with everything they need at run time,
and a clean clone builds the same ones every time."""

import tarfile
import zipfile

import pytest

from tests.packaging.build import build, clean_clone

APPS = {"courses", "quizzes", "certificates"}


def sdist_names(path) -> list[str]:
    with tarfile.open(path) as archive:
        return archive.getnames()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    first, second = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("second")
    return (
        build(clean_clone(first / "src"), first / "dist"),
        build(clean_clone(second / "src"), second / "dist"),
    )


def test_a_clean_clone_builds_the_same_files_twice(built):
    (wheel, sdist), (wheel_again, sdist_again) = built

    assert wheel.name == wheel_again.name
    assert wheel.name.startswith("wagtail_training-")
    assert zipfile.ZipFile(wheel).namelist() == zipfile.ZipFile(wheel_again).namelist()
    assert sorted(sdist_names(sdist)) == sorted(sdist_names(sdist_again))


def test_the_wheel_holds_the_three_apps_and_what_they_need(built):
    (wheel, _sdist), _again = built
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names}

    assert top - APPS == {next(n for n in top if n.endswith(".dist-info"))}
    for needed in [
        "courses/locale/vi/LC_MESSAGES/django.mo",
        "quizzes/locale/vi/LC_MESSAGES/django.mo",
        "certificates/locale/vi/LC_MESSAGES/django.mo",
        "courses/wagtail_vi/locale/vi/LC_MESSAGES/django.mo",
        "courses/templates/courses/base.html",
        "courses/templates/courses/page.html",
        "courses/static/courses/lms.css",
        "quizzes/static/quizzes/attempt.js",
        "certificates/fonts/DejaVuSans.ttf",
        "certificates/fonts/LICENSE",
        "courses/migrations/0001_initial.py",
        "certificates/migrations/0004_optional_certificate_text.py",
        "courses/data/provinces-vn-2025.csv",
    ]:
        assert needed in names, needed
    assert not [name for name in names if name.endswith((".pyc", ".po~"))]


def test_the_metadata_names_what_the_apps_import_and_the_supported_releases(built):
    (wheel, _sdist), _again = built
    archive = zipfile.ZipFile(wheel)
    metadata = archive.read(next(n for n in archive.namelist() if n.endswith("METADATA"))).decode()
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    runtime = [line for line in requires if "extra ==" not in line]

    assert "Name: wagtail-training" in metadata
    assert "Requires-Python: >=3.12" in metadata
    assert "Requires-Dist: Django<7,>=5.2" in runtime
    assert "Requires-Dist: wagtail<9,>=7.4" in runtime
    for demo_only in ("granian", "gunicorn", "psycopg", "whitenoise", "dj-database-url", "redis"):
        assert not [line for line in runtime if demo_only in line], demo_only


def test_the_sdist_holds_the_three_apps_and_no_demo(built):
    (_wheel, sdist), _again = built
    names = sdist_names(sdist)
    root = names[0].split("/")[0]
    top = {name.split("/")[1] for name in names if name.count("/") >= 1}

    assert {"courses", "quizzes", "certificates", "pyproject.toml", "README.md"} <= top
    assert not top & {"lms", "fixtures", "tests", "benchmarks", "manage.py"}
    assert f"{root}/courses/locale/vi/LC_MESSAGES/django.mo" in names
