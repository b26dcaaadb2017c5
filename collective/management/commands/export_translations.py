from django.core.management.base import BaseCommand, CommandError

from collective.translations import exchange, status


class Command(BaseCommand):
    help = (
        "Export texts for outside translators as an XLIFF or PO file. Each unit carries "
        "fingerprints of the source and the translation, so import_translations can tell what "
        "changed in the meantime."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--language",
            required=True,
            choices=status.target_languages(),
            help="The language to translate into.",
        )
        parser.add_argument(
            "--only",
            choices=exchange.SELECTIONS,
            default=exchange.ALL,
            help="Only fields in this state; 'all' (the default) exports every field with a "
            "source text.",
        )
        parser.add_argument(
            "--format",
            dest="file_format",
            choices=exchange.FORMATS,
            default=exchange.XLIFF,
            help="File format (default: xliff).",
        )
        parser.add_argument(
            "-o",
            "--output",
            help="The file to write; standard output when left out or '-'.",
        )

    def handle(self, *args, language, only, file_format, output, **options):
        units = exchange.export_units(language, only)
        content = exchange.serialize(units, language, file_format)
        if output in (None, "-"):
            self.stdout.write(content.decode(), ending="")
            return
        try:
            with open(output, "wb") as file:
                file.write(content)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}") from error
        self.stdout.write(
            self.style.SUCCESS(f"{len(units)} units ({language}, {only}) written to {output}.")
        )
