"""Read-only admin for domain models.

Every change to a domain object goes through its app's actions (audit entry, checks across objects,
side effects such as the workspace sync). Django's admin saves rows directly, so for domain models it
only shows them; the pages of the platform and the managing office are where things change.
"""

from __future__ import annotations

from django.contrib import admin


class ReadOnlyAdminMixin:
    """No add, change or delete, and no bulk actions (the built-in bulk delete skips every check)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_actions(self, request):
        return {}


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


class ReadOnlyTabularInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
