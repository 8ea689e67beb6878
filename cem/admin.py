"""Django admin for platform operators (superusers): every tenant, through `all_orgs`."""

from django.contrib import admin

from cem.models import ApiKey, Department, Membership, Organization


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("slug", "name", "timezone", "created_at")
    search_fields = ("slug", "name")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "parent", "is_default")
    list_filter = ("organization",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "role", "department")
    list_filter = ("organization", "role")


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "organization", "scopes", "last_used_at", "revoked_at")
    list_filter = ("organization",)
    readonly_fields = ("prefix", "secret_hash", "last_used_at")
