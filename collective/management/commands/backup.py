from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from collective import backup


class Command(BaseCommand):
    help = (
        "Write the whole site to one .tar.gz archive: the database content in every language "
        "(history, translation baselines, drafts, accounts and groups included) and every media "
        "file. Sessions, content types, permissions and django-axes' login records are left "
        "out. `manage.py restore` brings the archive back onto a new database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o",
            "--output",
            help=(
                "The archive to write (default: kinderrechten-backup-<UTC time>.tar.gz in the "
                "current folder). An existing file is never overwritten."
            ),
        )

    def handle(self, *args, output, **options):
        path = Path(output or backup.default_filename())
        try:
            manifest = backup.create(path)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] >= 2:
            for label, count in manifest["counts"].items():
                self.stdout.write(f"{label}: {count}")
        rows = sum(manifest["counts"].values())
        media = manifest["media"]
        if media["missing"]:
            self.stderr.write(
                self.style.WARNING(
                    "The database names files that are not in the media storage, so the "
                    f"backup lacks them too: {', '.join(media['missing'])}. Upload them again "
                    "in the admin."
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {path} ({path.stat().st_size:,} bytes): {rows} rows, "
                f"{media['files']} media files. Keep it safe: it holds password hashes and "
                "e-mail addresses."
            )
        )
