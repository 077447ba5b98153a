"""Rotate the agency's Open Badges signing key: the current key's public half stays published
in the issuer's did:web document (credentials already handed out keep verifying) and a new
Ed25519 key replaces the configured key file; credentials signed from now on name the new key.

Only a key held in LMS["BADGE_SIGNING_KEY_FILE"] can be replaced here. A key given as PEM text
(LMS["BADGE_SIGNING_KEY"]) is rotated by changing that setting: the LMS records every key the
first time it signs, so the earlier one stays published either way."""

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certificates.badges import key_history, keys
from courses.conf import lms_settings


class Command(BaseCommand):
    help = "Replace the badge signing key file with a new key; keep publishing the old key."

    def handle(self, *args, **options):
        if lms_settings.BADGE_SIGNING_KEY:
            raise CommandError(
                'The badge key is given as text in LMS["BADGE_SIGNING_KEY"]: make a new key with '
                "`manage.py generate_badge_key PATH` and configure it instead. The current key "
                "stays published."
            )
        path = lms_settings.BADGE_SIGNING_KEY_FILE
        if not path:
            raise CommandError(
                'No badge signing key is configured (LMS["BADGE_SIGNING_KEY_FILE"]).'
            )
        current = keys.signing_key()
        old = key_history.remember(current)  # published from now on, whatever comes next
        target = Path(path)
        # Written beside the old file and renamed over it: the key file is never half written.
        descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=".badge-key-")
        try:
            os.fchmod(descriptor, 0o600)
            with os.fdopen(descriptor, "wb") as file:
                file.write(keys.new_private_key_pem())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        new = key_history.remember(keys.signing_key())
        self.stdout.write(
            f"New badge signing key {new.kid} written to {target}. The earlier key {old.kid} "
            "stays in the issuer's did:web document; retire it with "
            f"`manage.py retire_badge_key -- {old.kid}` if it leaked."
        )
