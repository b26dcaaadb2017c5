from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from collective import backup, caching


def media_place():
    """Where uploaded files are stored, for an operator to check it is the servers' place."""
    bucket = getattr(default_storage, "bucket_name", None)  # S3-compatible storage
    if bucket:
        return f"the bucket {bucket}"
    return f"the folder {default_storage.location}"


class Command(BaseCommand):
    help = (
        "Restore an archive made by `manage.py backup` onto a new, empty database that "
        "`manage.py migrate` has prepared. The archive, its checksums, the languages, the "
        "migration state and the emptiness of the database are all checked first; when any "
        "check fails nothing is changed. The page cache is cleared afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .tar.gz archive written by `manage.py backup`.")

    def handle(self, *args, file, **options):
        try:
            report = backup.restore(file)
        except backup.BackupError as error:
            raise CommandError(f"{file}: {error} Nothing was changed.") from error
        for note in report.notes:
            self.stdout.write(self.style.WARNING(note))
        for label, count in report.counts.items():
            self.stdout.write(f"{label}: {count}")
        made = report.manifest.get("created_at", "an unknown time")
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {made}: {sum(report.counts.values())} rows, "
                f"{len(report.media_written)} media files written, "
                f"{len(report.media_present)} already present, in {media_place()}."
            )
        )
        if report.cache_cleared:
            self.stdout.write("The page cache was cleared.")
        else:
            self.stderr.write(
                self.style.WARNING(
                    "The page cache could not be reached to be cleared: servers may show "
                    "pages from before the restore until they expire (at most "
                    f"{settings.PAGE_CACHE_SECONDS} seconds). Clear it once it is back."
                )
            )
        if not caching.shared_with_servers():
            self.stderr.write(self.style.WARNING(caching.NOT_SHARED_NOTE))
