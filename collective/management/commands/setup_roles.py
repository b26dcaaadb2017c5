from django.core.management.base import BaseCommand

from collective.translations import roles


class Command(BaseCommand):
    help = "Create or update the Editors and Translators groups and their permissions."

    def handle(self, *args, **options):
        for name, group in roles.setup().items():
            self.stdout.write(f"{name}: {group.permissions.count()} permissions.")
