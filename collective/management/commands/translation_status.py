from django.core.management.base import BaseCommand, CommandError

from collective.translations import status


class Command(BaseCommand):
    help = (
        "Print, per model, field and language, how many objects are complete, missing or "
        "outdated (and waiting for the source text, where it is empty), and each language's "
        "completion."
    )

    def add_arguments(self, parser):
        parser.add_argument("--language", help="Only this language (default: every language).")

    def handle(self, *args, language=None, **options):
        languages = status.language_codes()
        if language is not None:
            if language not in languages:
                raise CommandError(f"Unknown language {language!r}; choose from {languages}.")
            languages = [language]
        rows = status.matrix()
        for model, field, by_language in rows:
            cells = "  ".join(self._cell(code, by_language[code]) for code in languages)
            self.stdout.write(f"{model._meta.label_lower:<36} {field:<12} {cells}")
        for code in languages:
            done, total, percent = status.completion(rows, code)
            self.stdout.write(f"{code}: {percent}% complete ({done} of {total} fields)")

    @staticmethod
    def _cell(code, by_state):
        counts = ", ".join(
            f"{by_state.get(state, 0)} {state}"
            for state in [status.COMPLETE, *status.states_for(code)]
        )
        if by_state.get(status.NO_SOURCE):
            counts += f", {by_state[status.NO_SOURCE]} waiting for the source"
        return f"[{code}] {counts}"
