"""Retire a badge signing key (it leaked, or it is no longer trusted): the issuer's did:web
document stops publishing it, so every credential signed with it fails verification."""

from django.core.management.base import BaseCommand, CommandError

from certificates.badges import key_history, keys
from certificates.models import BadgeKey


class Command(BaseCommand):
    help = "Stop publishing a badge signing key: credentials signed with it no longer verify."

    def add_arguments(self, parser):
        parser.add_argument(
            "kid",
            nargs="?",
            # A key id is base64url: one in 32 starts with "-", which would read as an option.
            help="The key id (as listed by --list), after `--`: retire_badge_key -- KID.",
        )
        parser.add_argument("--reason", default="", help="Why, for the record.")
        parser.add_argument("--list", action="store_true", help="List the keys and stop.")

    def handle(self, *args, kid=None, reason="", list=False, **options):  # noqa: A002
        current = keys.signing_key()
        current_kid = keys.key_id(current) if current is not None else None
        if list or not kid:
            for record in BadgeKey.objects.all():
                state = (
                    f"retired {record.retired_at:%Y-%m-%d}"
                    if record.retired_at
                    else ("current" if record.kid == current_kid else "published")
                )
                self.stdout.write(
                    f"{record.kid}  first used {record.first_used_at:%Y-%m-%d}  {state}"
                )
            return
        try:
            record = key_history.retire(kid, reason=reason, current=current)
        except LookupError as error:
            raise CommandError(f"No badge signing key {kid} was ever used here.") from error
        except ValueError as error:
            raise CommandError(
                f"{kid} is the key that signs now: run `manage.py rotate_badge_key` first."
            ) from error
        self.stdout.write(f"Retired {record.kid}: credentials signed with it no longer verify.")
