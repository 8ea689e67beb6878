"""Page access: signed-in user with a membership in the active organization, and a role."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404
from django.shortcuts import redirect

from cem.models import Membership

MANAGERS = (Membership.Role.ADMIN, Membership.Role.CX_MANAGER)
ADMINS = (Membership.Role.ADMIN,)
EVERYONE = tuple(Membership.Role.values)


class OrgPageMixin(LoginRequiredMixin):
    """Base of every tenant page: 302 to login when signed out, a 'no organization' page when
    the user has no membership, 403 when the role is not in `allowed_roles`, and 404 when a
    selector raises DoesNotExist (a missing row and another tenant's row look the same)."""

    allowed_roles: tuple[str, ...] = EVERYONE

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if getattr(request, "organization", None) is None:
            return redirect("no-organization")
        if request.membership.role not in self.allowed_roles:
            raise PermissionDenied
        self.organization = request.organization
        self.membership = request.membership
        try:
            return super().dispatch(request, *args, **kwargs)
        except ObjectDoesNotExist:
            raise Http404 from None
