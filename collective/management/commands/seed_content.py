from django.core.management.base import BaseCommand

from collective import seeding


class Command(BaseCommand):
    help = (
        'Load the "Who are we" content (both languages) into an empty database. '
        "Models that hold content, or held it before staff deleted it, are left as they are."
    )

    def handle(self, *args, **options):
        created = seeding.seed(seeding.load())
        for model, count in created.items():
            name = model._meta.verbose_name_plural
            if count:
                self.stdout.write(self.style.SUCCESS(f"{name.capitalize()}: {count} created."))
            else:
                self.stdout.write(f"{name.capitalize()}: seeded before, left unchanged.")
