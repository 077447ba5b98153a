"""Seed the 34 provincial-level units in force since 1 July 2025 and the 63 they replaced."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "provinces-vn-2025.csv"
KINDS = {"thành phố": "city", "tỉnh": "province"}


def read_rows():
    with DATA.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def former_name(raw):
    # "Huế (Thừa Thiên Huế)" names the former unit in brackets.
    raw = raw.strip()
    if raw.endswith(")") and "(" in raw:
        return raw[raw.index("(") + 1 : -1].strip()
    return raw


def seed(apps, schema_editor):
    Province = apps.get_model("courses", "Province")
    FormerProvince = apps.get_model("courses", "FormerProvince")
    for order, row in enumerate(read_rows(), start=1):
        province, _ = Province.objects.update_or_create(
            name=row["name"].strip(),
            defaults={"kind": KINDS[row["kind"].strip()], "sort_order": order},
        )
        for part in row["merged_from"].split(";"):
            FormerProvince.objects.update_or_create(
                name=former_name(part), defaults={"successor": province}
            )


def unseed(apps, schema_editor):
    names = [row["name"].strip() for row in read_rows()]
    apps.get_model("courses", "FormerProvince").objects.filter(successor__name__in=names).delete()
    apps.get_model("courses", "Province").objects.filter(
        name__in=names, delegates__isnull=True, enrollments__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
