"""Import a GIFT, Aiken or Excel question file into the bank: every question or none."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from quizzes import formats, importing
from quizzes.formats import Format, QuestionFileError
from quizzes.management.banks import bank_of


class Command(BaseCommand):
    help = (
        "Import questions from a GIFT, Aiken or Excel (.xlsx) file. A file with any error "
        "imports nothing: the errors are listed with their line (or row) and the command fails."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The question file.")
        parser.add_argument(
            "--format",
            dest="fmt",
            choices=[fmt.value for fmt in Format],
            help="The file's format (default: xlsx for .xlsx files, else gift).",
        )
        parser.add_argument(
            "--category",
            required=True,
            help="Category for questions the file does not place (created if missing).",
        )
        parser.add_argument(
            "--course",
            help="The code of the course whose question bank receives the questions "
            "(default: the shared bank).",
        )
        parser.add_argument(
            "--ignore-file-categories",
            action="store_true",
            help="Put every question into --category, ignoring $CATEGORY lines and the "
            "Excel category column.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would be imported, without importing.",
        )

    def handle(self, *args, file: Path, fmt, category: str, **options):
        fmt = fmt or (Format.XLSX if file.suffix.lower() == ".xlsx" else Format.GIFT)
        try:
            with file.open("rb") as handle:
                data = handle.read(formats.MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from error
        course_id = bank_of(options.get("course"))
        arguments = {
            "data": data,
            "fmt": fmt,
            "category": category,
            "course_id": course_id,
            "use_file_categories": not options["ignore_file_categories"],
        }
        try:
            if options["dry_run"]:
                plan = importing.plan_import(**arguments)
                self.report_notes(file, plan.result.notes)
                if plan.errors:
                    self.fail(file, plan.errors)
                for name in plan.new_categories:
                    self.stdout.write(_("New category: %(name)s") % {"name": name})
                count = len(plan.questions)
                self.stdout.write(
                    ngettext(
                        "%(file)s: %(count)d question would be imported (dry run: nothing "
                        "was written).",
                        "%(file)s: %(count)d questions would be imported (dry run: nothing "
                        "was written).",
                        count,
                    )
                    % {"file": file, "count": count}
                )
                return
            outcome = importing.import_questions(**arguments)
        except QuestionFileError as error:
            raise CommandError(f"{file}: {error.message}") from error
        except importing.QuestionImportRejected as error:
            self.fail(file, error.errors)
        self.report_notes(file, outcome.notes)
        for new in outcome.new_categories:
            self.stdout.write(_("New category: %(name)s") % {"name": new.name})
        count = len(outcome.questions)
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "%(file)s: %(count)d question was imported.",
                    "%(file)s: %(count)d questions were imported.",
                    count,
                )
                % {"file": file, "count": count}
            )
        )

    def report_notes(self, file, notes) -> None:
        for note in notes:
            self.stderr.write(f"{file}:{note.line}: {note.message}")

    def fail(self, file, errors) -> None:
        for error in errors:
            self.stderr.write(f"{file}:{error.line}: {error.message}")
        raise CommandError(
            ngettext(
                "%(file)s: %(count)d error; nothing was imported.",
                "%(file)s: %(count)d errors; nothing was imported.",
                len(errors),
            )
            % {"file": file, "count": len(errors)}
        )
