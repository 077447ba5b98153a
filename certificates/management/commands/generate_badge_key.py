"""Make the agency's Ed25519 key for Open Badges credentials, as a PEM file readable by its
owner only; point LMS["BADGE_SIGNING_KEY_FILE"] at it."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certificates.badges.keys import new_private_key_pem


class Command(BaseCommand):
    help = "Write a new Ed25519 private key (PEM) for signing Open Badges credentials."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Where to write the key; an existing file is kept.")

    def handle(self, *args, path, **options):
        target = Path(path)
        try:
            # O_EXCL: never overwrite a key that credentials already depend on.
            descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError as error:
            raise CommandError(f"{target} exists: keep it, or move it away first.") from error
        with os.fdopen(descriptor, "wb") as file:
            file.write(new_private_key_pem())
        self.stdout.write(f'Wrote {target}. Set LMS["BADGE_SIGNING_KEY_FILE"] to its path.')
