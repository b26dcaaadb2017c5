from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from collective import caching
from organizations import images
from organizations.signals import LOGO_MODELS


class Command(BaseCommand):
    help = (
        "(Re)build the WebP and PNG renditions of every organization's logo, e.g. for logos "
        "uploaded before renditions existed. Until then pages show the original file. The "
        "pages showing a rebuilt logo are refreshed in the page cache."
    )

    def handle(self, *args, **options):
        rebuilt = failed = 0
        for organization in organizations_with_a_logo():
            try:
                images.rebuild_renditions(organization)
            except (OSError, ValidationError) as error:
                failed += 1
                self.stderr.write(f"{describe(organization)}: {reason(error)}")
            else:
                rebuilt += 1
                # The renditions and size are written without save(), so no signal refreshes
                # the cached pages: they would keep linking the original, at its old size.
                caching.invalidate(caching.pages_showing(organization))
                self.stdout.write(f"{describe(organization)}: rebuilt", self.style.SUCCESS)
        self.stdout.write(f"Rebuilt the renditions of {rebuilt} logos.")
        if rebuilt and (note := caching.note_for_command()):
            self.stderr.write(self.style.WARNING(note))
        if failed:
            raise CommandError(f"{failed} logos could not be rebuilt; see above.")


def organizations_with_a_logo():
    for model in LOGO_MODELS:
        yield from model._default_manager.exclude(logo="").order_by("pk").iterator()


def describe(organization):
    return f"{organization._meta.label} {organization.pk} ({organization.logo.name})"


def reason(error):
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)
