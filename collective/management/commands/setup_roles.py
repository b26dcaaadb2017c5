from django.core.management.base import BaseCommand

from collective.translations import roles


class Command(BaseCommand):
    help = (
        "Create the Editors and Translators groups, or set their permissions back to the "
        "defaults (changes made to them in the admin are undone)."
    )

    def handle(self, *args, **options):
        for name, group in roles.setup().items():
            self.stdout.write(f"{name}: {group.permissions.count()} permissions.")
