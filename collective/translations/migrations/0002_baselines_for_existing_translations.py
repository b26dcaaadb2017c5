"""Treat every translation that exists when tracking starts as made from the current source.

Without a baseline a translation can never become outdated; this gives existing content one.

The models, fields and languages are those of the time this migration was written, and the
fingerprint is computed as it was then: a migration runs against its own snapshot of the
models, which lacks any language or translated model added since.
"""

import hashlib

from django.db import migrations

SOURCE = "nl"
TARGETS = ["en"]
TRANSLATED = [
    ("collective", "collective", ["name", "page_title", "intro", "body"]),
    ("organizations", "memberorganization", ["name", "description"]),
    ("organizations", "advisorybody", ["name", "description", "role"]),
]


def fingerprint(value):
    normalized = "\n".join(line.rstrip() for line in value.strip().splitlines())
    return hashlib.sha256(normalized.encode()).hexdigest()


def record_existing(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Baseline = apps.get_model("translations", "TranslationBaseline")
    for app_label, model_name, fields in TRANSLATED:
        model = apps.get_model(app_label, model_name)
        content_type, _created = ContentType.objects.get_or_create(
            app_label=app_label, model=model_name
        )
        for obj in model._default_manager.all():
            for field in fields:
                source_text = getattr(obj, f"{field}_{SOURCE}") or ""
                for language in TARGETS:
                    if getattr(obj, f"{field}_{language}"):
                        Baseline.objects.get_or_create(
                            content_type=content_type,
                            object_id=obj.pk,
                            field=field,
                            language=language,
                            defaults={
                                "source_fingerprint": fingerprint(source_text),
                                "source_text": source_text,
                            },
                        )


def forget_all(apps, schema_editor):
    apps.get_model("translations", "TranslationBaseline").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("translations", "0001_initial"),
        ("collective", "0001_initial"),
        ("organizations", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(record_existing, forget_all)]
