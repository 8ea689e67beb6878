"""Template context: the active organization, membership, the user's other organizations, and
the navigation links (cem.navigation) the role may see."""

from cem.navigation import nav_for, topbar_templates


def tenancy(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    membership = getattr(request, "membership", None)
    role = membership.role if membership else None
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match else None
    path = request.path
    settings_items = nav_for(section="settings", role=role, current_url_name=current,
                             current_path=path)
    return {
        "organization": getattr(request, "organization", None),
        "membership": membership,
        "memberships": getattr(request, "memberships", []),
        "nav_items": nav_for(section="main", role=role, current_url_name=current,
                             current_path=path),
        "settings_items": settings_items,
        "settings_active": current == "settings-index" or any(i["active"] for i in settings_items),
        "topbar_templates": topbar_templates(),
    }
