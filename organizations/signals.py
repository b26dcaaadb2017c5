"""Keep logo files in step with the organizations that use them.

Before a save, a new upload is cleaned (re-encoded without metadata) and its renditions are
built; after the save they are stored under names derived from the original's final name, and
a replaced or cleared logo's files are deleted. Files are deleted only once the transaction has
committed, so a rolled-back save never loses the logo the row still points to.

A save that leaves the logo alone opens no file: it costs one query for the stored name.
OrganizationsConfig.ready() connects these receivers for every model in LOGO_MODELS.
"""

from dataclasses import dataclass
from functools import partial

from django.db import transaction

from . import images
from .models import AdvisoryBody, FormerSlug, MemberOrganization

LOGO_MODELS = (MemberOrganization, AdvisoryBody)

# Where pre_save leaves its findings for post_save on the instance being saved.
PENDING_CHANGE = "_pending_logo_change"
STORED_SLUG = "_stored_slug"


@dataclass(frozen=True)
class LogoChange:
    previous_name: str
    # Built from a new upload; None when the new file was stored some other way.
    renditions: dict | None


def prepare_logo_change(sender, instance, raw=False, update_fields=None, **kwargs):
    """pre_save: note the logo the row had, and clean a new upload before it is stored."""
    instance.__dict__.pop(PENDING_CHANGE, None)
    if raw or (update_fields is not None and "logo" not in update_fields):
        return
    previous_name = _stored_logo_name(sender, instance)
    logo = instance.logo
    renditions = images.clean_upload(logo) if logo and not logo._committed else None
    if renditions is None and (logo.name or "") == previous_name:
        return
    instance.__dict__[PENDING_CHANGE] = LogoChange(previous_name, renditions)


def apply_logo_change(sender, instance, raw=False, using=None, **kwargs):
    """post_save: store the new logo's renditions, and drop the old logo's files on commit."""
    change = instance.__dict__.pop(PENDING_CHANGE, None)
    if raw or change is None:
        return
    current_name = instance.logo.name or ""
    if current_name and change.renditions is not None:
        images.store_renditions(current_name, change.renditions)
    elif current_name:
        # Stored before save() was called, e.g. through instance.logo.save(name, content).
        images.rebuild_renditions(instance)
    if change.previous_name and change.previous_name != current_name:
        delete_files_on_commit(change.previous_name, using)


def delete_logo_with_organization(sender, instance, using=None, **kwargs):
    """post_delete: the organization is gone, so its logo files go once that is committed."""
    if instance.logo.name:
        delete_files_on_commit(instance.logo.name, using)


def delete_files_on_commit(name, using=None):
    # robust: a storage failure after the commit is logged instead of failing the request.
    transaction.on_commit(partial(_delete_unless_used, name), using=using, robust=True)


def _delete_unless_used(name):
    """Delete a logo's files, unless another row (e.g. a copied organization) still uses them."""
    if any(model._default_manager.filter(logo=name).exists() for model in LOGO_MODELS):
        return
    images.delete_logo_files(name)


def _stored_logo_name(model, instance):
    if instance.pk is None:
        return ""
    stored = model._default_manager.filter(pk=instance.pk).values_list("logo", flat=True)
    return stored.first() or ""


def remember_slug(sender, instance, raw=False, update_fields=None, **kwargs):
    """pre_save: note the slug the row has in the database, to see whether it changes."""
    instance.__dict__.pop(STORED_SLUG, None)
    if _writes_no_slug(raw, update_fields):
        return
    stored = None
    if instance.pk is not None:
        rows = sender._base_manager.filter(pk=instance.pk)
        stored = rows.values_list("slug", flat=True).first()
    instance.__dict__[STORED_SLUG] = stored


def keep_former_slug(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    """post_save: a changed slug keeps its old address as a redirect; a new page claims its own."""
    stored = instance.__dict__.pop(STORED_SLUG, None)
    if _writes_no_slug(raw, update_fields) or (stored == instance.slug and not created):
        return
    FormerSlug.record_change(instance, stored)


def _writes_no_slug(raw, update_fields):
    """A fixture load, or a save of other columns only (a translation): the address stays.

    The instance may be an older copy whose slug differs from the stored one; it is not written.
    """
    return raw or (update_fields is not None and "slug" not in update_fields)
