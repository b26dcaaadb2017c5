"""Treat every translation that exists when tracking starts as made from the current source.

Without a baseline a translation can never become outdated; this gives existing content one.
"""

from django.db import migrations


def record_existing(apps, schema_editor):
    from modeltranslation.utils import build_localized_fieldname

    from collective.translations import status

    ContentType = apps.get_model("contenttypes", "ContentType")
    Baseline = apps.get_model("translations", "TranslationBaseline")
    source = status.source_language()
    for registered in status.translated_models():
        model = apps.get_model(registered._meta.app_label, registered._meta.model_name)
        content_type, _created = ContentType.objects.get_or_create(
            app_label=registered._meta.app_label, model=registered._meta.model_name
        )
        for obj in model._default_manager.all():
            for field in status.translated_fields(registered):
                source_text = getattr(obj, build_localized_fieldname(field, source)) or ""
                for language in status.target_languages():
                    if getattr(obj, build_localized_fieldname(field, language)):
                        Baseline.objects.get_or_create(
                            content_type=content_type,
                            object_id=obj.pk,
                            field=field,
                            language=language,
                            defaults={
                                "source_fingerprint": status.fingerprint(source_text),
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
