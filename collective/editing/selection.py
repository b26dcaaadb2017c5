"""The rows an admin list's action is asked to work on, checked before the action runs."""

from django.contrib.admin import helpers
from django.core.exceptions import BadRequest, ValidationError


class CheckedSelectionAdminMixin:
    """A list action on rows named by something no browser sends is a 400, not a 500.

    Django's admin hands the posted row keys (`_selected_action`) straight to the database:
    a key that is no number, or one past what the column holds, fails there as a server
    error. Keys of rows that no longer exist are fine: the action finds fewer rows.
    """

    def response_action(self, request, queryset):
        pk = self.model._meta.pk
        for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
            try:
                pk.run_validators(pk.to_python(value))
            except ValidationError as error:
                raise BadRequest("A selected row's key is not one this list holds.") from error
        return super().response_action(request, queryset)
