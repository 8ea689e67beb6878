"""What the closed loop adds to a department member's view of feedback (voice.visibility):
the feedback quoted as evidence on their department's tickets."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from cem.models import Membership
from improvement.models import TicketEvidence


def evidence_of_my_department_q(membership: Membership) -> Q | None:
    """A Feedback filter: linked as evidence to a ticket of the member's department."""
    if membership is None or membership.department_id is None:
        return None
    # NOTE: correlated on the outer row's organization, so it can never match another tenant.
    quoted = TicketEvidence.all_orgs.filter(organization_id=OuterRef("organization_id"),
                                            feedback_id=OuterRef("pk"),
                                            ticket__department_id=membership.department_id)
    return Q(Exists(quoted))
