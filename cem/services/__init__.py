"""Writes of the tenancy core, one module per entity, re-exported here (`from cem import services`).

Every settings change also writes an `AuditEvent` through `audit_record` in its transaction.
"""

from cem.services.api_keys import (
    ERR_KEY_NAME,
    ERR_NO_SCOPES,
    ERR_UNKNOWN_SCOPE,
    api_key_create,
    api_key_revoke,
    api_key_touch,
)
from cem.services.audit import ERR_AUDIT_ACTION, ERR_AUDIT_DETAILS, audit_record
from cem.services.departments import (
    ERR_DEFAULT_REQUIRED,
    ERR_DELETE_DEFAULT,
    ERR_DEPARTMENT_CYCLE,
    ERR_DEPARTMENT_HAS_MEMBERS,
    ERR_DEPARTMENT_IN_USE,
    ERR_DEPARTMENT_NAME_REQUIRED,
    ERR_DEPARTMENT_NAME_TAKEN,
    ERR_DEPARTMENT_OTHER_ORG,
    ERR_LEAD_NOT_MEMBER,
    ERR_MOVE_TO_SELF,
    department_create,
    department_delete,
    department_set_parent,
    department_update,
)
from cem.services.members import (
    ERR_ALREADY_MEMBER,
    ERR_LAST_ADMIN,
    ERR_MEMBER_NEEDS_DEPARTMENT,
    ERR_NO_SUCH_USER,
    ERR_UNKNOWN_ROLE,
    ERR_USERNAME_INVALID,
    ERR_USERNAME_TAKEN,
    member_add,
    member_create_user,
    member_remove,
    member_update,
    membership_set,
    user_get_or_create,
)
from cem.services.organizations import (
    ERR_BAD_TIMEZONE,
    ERR_BUSINESS_HOURS,
    ERR_HOLIDAY_DATE,
    ERR_HOLIDAYS_WITHOUT_HOURS,
    ERR_INVITE_CAP,
    ERR_NAME_REQUIRED,
    ERR_SLUG_TAKEN,
    ERR_SPAN_ORDER,
    ERR_SPANS_OVERLAP,
    MAX_INVITE_CAP_DAYS,
    WEEKDAYS,
    organization_create,
    organization_update,
    validate_business_hours,
)

__all__ = [
    "ERR_ALREADY_MEMBER", "ERR_AUDIT_ACTION", "ERR_AUDIT_DETAILS", "ERR_BAD_TIMEZONE",
    "ERR_BUSINESS_HOURS", "ERR_DEFAULT_REQUIRED", "ERR_DELETE_DEFAULT", "ERR_DEPARTMENT_CYCLE",
    "ERR_DEPARTMENT_HAS_MEMBERS", "ERR_DEPARTMENT_IN_USE", "ERR_DEPARTMENT_NAME_REQUIRED",
    "ERR_DEPARTMENT_NAME_TAKEN", "ERR_DEPARTMENT_OTHER_ORG", "ERR_HOLIDAYS_WITHOUT_HOURS",
    "ERR_HOLIDAY_DATE", "ERR_INVITE_CAP", "ERR_KEY_NAME", "ERR_LAST_ADMIN", "ERR_LEAD_NOT_MEMBER",
    "ERR_MEMBER_NEEDS_DEPARTMENT", "ERR_MOVE_TO_SELF", "ERR_NAME_REQUIRED", "ERR_NO_SCOPES",
    "ERR_NO_SUCH_USER", "ERR_SLUG_TAKEN", "ERR_SPANS_OVERLAP", "ERR_SPAN_ORDER",
    "ERR_UNKNOWN_ROLE", "ERR_UNKNOWN_SCOPE", "ERR_USERNAME_INVALID", "ERR_USERNAME_TAKEN",
    "MAX_INVITE_CAP_DAYS", "WEEKDAYS", "api_key_create", "api_key_revoke", "api_key_touch", "audit_record",
    "department_create", "department_delete", "department_set_parent", "department_update",
    "member_add", "member_create_user", "member_remove", "member_update", "membership_set",
    "organization_create", "organization_update", "user_get_or_create", "validate_business_hours",
]
