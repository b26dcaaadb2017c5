from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from collective import caching
from collective.translations import exchange


class Command(BaseCommand):
    help = (
        "Import an XLIFF or PO file made by export_translations. The whole file is checked "
        "first; units whose source or translation changed since the export are reported as "
        "conflicts and left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The XLIFF or PO file; the format is read from it.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only report what the import would do; change nothing.",
        )

    def handle(self, *args, file, dry_run, **options):
        try:
            with open(file, "rb") as stream:
                raw = stream.read()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        with translation.override(None):
            try:
                report = exchange.import_file(raw, dry_run=dry_run)
            except exchange.ExchangeError as error:
                raise CommandError(f"{file}: {error} Nothing was changed.") from error
            self._report(report, options["verbosity"])
        # A confirmation changes no text: no page to refresh, nothing for the servers to show.
        changed = [o for o in report.of_kind(exchange.APPLIED) if o.reason != exchange.CONFIRMED]
        if dry_run or not changed:
            return
        if note := caching.note_for_command():
            self.stderr.write(self.style.WARNING(note))

    def _report(self, report, verbosity):
        if report.dry_run:
            self.stdout.write("Dry run: nothing was changed; 'applied' counts what would be.")
        self.stdout.write(f"{report.file_format} file in {report.language}: {report.summary()}")
        shown = exchange.OUTCOMES if verbosity >= 2 else (exchange.CONFLICT, exchange.REFUSED)
        for outcome in report.outcomes:
            # A unit the translator marked unfinished is named too: someone has to follow it up.
            if outcome.kind in shown or outcome.reason == exchange.FUZZY:
                self._unit(outcome)

    def _unit(self, outcome):
        reason = (
            f"{outcome.reason_label}: {outcome.detail}" if outcome.detail else outcome.reason_label
        )
        line = f"{outcome.kind:<9} {outcome.unit_id}: {reason}"
        style = self.style.WARNING if outcome.kind in (exchange.CONFLICT, exchange.REFUSED) else str
        self.stdout.write(style(line))
        if outcome.reason == exchange.SOURCE_CHANGED:
            self.stdout.write(f"    source at export: {outcome.exported_source}")
            self.stdout.write(f"    current source:   {outcome.current_source}")
        elif outcome.reason == exchange.TRANSLATION_CHANGED:
            self.stdout.write(f"    current translation: {outcome.old_text}")
            self.stdout.write(f"    in the file:         {outcome.new_text}")
