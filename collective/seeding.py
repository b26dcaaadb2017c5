"""Loading the seed content (`seed/who-are-we.toml`) into an empty database.

Each model is seeded only if it never had rows: none now, and none in its history. Running
the seed again changes nothing and never touches what staff have edited, added or deleted
since, even when they deleted every row of a model (an advisory body that left).
"""

import tomllib
from pathlib import Path

from django.conf import settings
from django.db import transaction
from modeltranslation.utils import build_localized_fieldname

from organizations.models import AdvisoryBody, MemberOrganization

from .models import Collective

SEED_FILE = Path(__file__).resolve().parent / "seed" / "who-are-we.toml"
POSITION_STEP = 10


def load(path=SEED_FILE):
    with open(path, "rb") as seed_file:
        return tomllib.load(seed_file)


@transaction.atomic
def seed(data):
    """Create what the seed describes for every model that never had content.

    Returns {model: rows created}.
    """
    batches = [
        (Collective, [data["collective"]]),
        (MemberOrganization, _positioned(data.get("members", []))),
        (AdvisoryBody, _positioned(data.get("advisory_bodies", []))),
    ]
    created = {}
    for model, entries in batches:
        if model.objects.exists() or model.history.exists():
            created[model] = 0
            continue
        for entry in entries:
            _create(model, entry)
        created[model] = len(entries)
    return created


def _positioned(entries):
    return [{**entry, "position": index * POSITION_STEP} for index, entry in enumerate(entries, 1)]


def _create(model, entry):
    """One row from a seed entry: plain keys as they are, one `[<language>]` table per language."""
    languages = [code for code, _name in settings.LANGUAGES]
    values = {key: value for key, value in entry.items() if not isinstance(value, dict)}
    for code in languages:
        for field, text in entry.get(code, {}).items():
            values[build_localized_fieldname(field, code)] = text
    obj = model(**values)
    obj.full_clean()
    obj.save()
    return obj
