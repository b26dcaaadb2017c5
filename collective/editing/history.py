"""What changed between two moments of an object's recorded history (django-simple-history)."""

from dataclasses import dataclass

from django.utils.text import Truncator


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: str
    new: str


def changes_since(obj, version):
    """Field changes saved after the version whose `updated_at` is `version`, and who made them.

    Returns (changes, users); both empty when history has nothing newer.
    """
    newer = obj.history.filter(updated_at__gt=version).order_by("history_date")
    latest = newer.last()
    if latest is None:
        return [], []
    base = obj.history.filter(updated_at__lte=version).order_by("-history_date").first()
    users = sorted({str(record.history_user) for record in newer if record.history_user})
    if base is None:
        return [], users
    delta = latest.diff_against(base, excluded_fields=["updated_at"])
    return [_change(obj, item) for item in delta.changes], users


def _change(obj, item):
    # Translated fields' verbose names already carry their language: "description [en]".
    label = str(obj._meta.get_field(item.field).verbose_name)
    return Change(item.field, label, _short(item.old), _short(item.new))


def _short(value):
    return Truncator("" if value is None else str(value)).chars(80)
