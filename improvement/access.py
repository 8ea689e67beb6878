"""Who acts on tickets: a browser member (by role and department), a partner key, or the system.

Department members see and work their own department's tickets; viewers read everything and
change nothing; admins and CX managers do everything, including verify and reopen. A partner
key works tickets with `tickets:write` and verifies/reopens only with `manage`.
"""

from __future__ import annotations

from dataclasses import dataclass

from cem.models import ApiKey, Membership

_R = Membership.Role
API_KEY = "api_key"
SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    """The principal behind a change; `user` is None for keys and the system."""

    role: str
    user: object = None
    department_id: int | None = None
    label: str = ""
    can_write_tickets: bool = False
    can_manage: bool = False

    @classmethod
    def from_membership(cls, membership: Membership) -> Actor:
        return cls(role=membership.role, user=membership.user,
                   department_id=membership.department_id, label=membership.user.username,
                   can_write_tickets=membership.role != _R.VIEWER,
                   can_manage=membership.role in (_R.ADMIN, _R.CX_MANAGER))

    @classmethod
    def from_api_key(cls, key: ApiKey) -> Actor:
        return cls(role=API_KEY, label=f"API key {key.name}",
                   can_write_tickets=key.has_scope("tickets:write"),
                   can_manage=key.has_scope("manage"))

    @classmethod
    def system(cls, label: str = "OpenCEM") -> Actor:
        return cls(role=SYSTEM, label=label, can_write_tickets=True, can_manage=True)

    @classmethod
    def from_request(cls, request) -> Actor:
        """The actor of an API request or a page request (membership resolved by the tenancy)."""
        if isinstance(getattr(request, "auth", None), ApiKey):
            return cls.from_api_key(request.auth)
        return cls.from_membership(request.membership)

    @property
    def user_id(self) -> int | None:
        return getattr(self.user, "pk", None)

    @property
    def is_department_member(self) -> bool:
        return self.role == _R.DEPARTMENT_MEMBER

    @property
    def sees_all_departments(self) -> bool:
        """Everyone but department members sees every department's tickets."""
        return not self.is_department_member

    def can_see(self, ticket) -> bool:
        return self.sees_all_departments or ticket.department_id == self.department_id

    def can_work(self, ticket) -> bool:
        """Comment, claim, move: managers and keys with tickets:write anywhere, members at home."""
        if not self.can_write_tickets:
            return False
        return self.can_manage or self.role == API_KEY or ticket.department_id == self.department_id
