"""Export a category of the question bank as GIFT, Aiken or Excel."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from quizzes import importing
from quizzes.formats import Format, nfc
from quizzes.management.banks import bank_of


class Command(BaseCommand):
    help = (
        "Export the questions of a category as GIFT, Aiken (single choice only) or Excel "
        "(.xlsx). Questions the format cannot hold are listed as skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--category", required=True, help="The category's name.")
        parser.add_argument(
            "--course",
            help="The code of the course whose question bank is meant (default: the shared bank).",
        )
        parser.add_argument(
            "--format",
            dest="fmt",
            choices=[fmt.value for fmt in Format],
            default=Format.GIFT.value,
        )
        parser.add_argument("-o", "--output", type=Path, required=True, help="File to write.")

    def handle(self, *args, category: str, fmt: str, output: Path, **options):
        course_id = bank_of(options.get("course"))
        found = (
            importing.bank_categories(course_id)
            .filter(name=" ".join(nfc(category).split()))
            .first()
        )
        if found is None:
            raise CommandError(_("No question category is named “%(name)s”.") % {"name": category})
        export = importing.export_questions(importing.questions_to_export(category=found), fmt)
        try:
            output.write_bytes(export.content)
        except OSError as error:
            raise CommandError(f"{output}: {error.strerror}") from error
        for skipped in export.skipped:
            self.stderr.write(
                _("Skipped “%(name)s”: %(reason)s")
                % {"name": skipped.name, "reason": skipped.reason}
            )
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "%(file)s: %(count)d question exported, %(skipped)d skipped.",
                    "%(file)s: %(count)d questions exported, %(skipped)d skipped.",
                    export.count,
                )
                % {"file": output, "count": export.count, "skipped": len(export.skipped)}
            )
        )
