"""The navigation registry: each app adds its pages in `AppConfig.ready()`, base.html renders them.

`register_nav("main", 20, "feedback-list", _("Feedback"))` adds a top-bar link;
`register_nav("settings", 30, "topic-list", _("Topics"), roles=MANAGERS)` a settings section.
Links are shown only to the roles that may open the page (the page still checks itself).
`register_topbar(10, "improvement/_bell.html")` adds a widget to the top bar, left of the user
menu (rendered with the page's context), so no app needs to edit base.html.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from cem.access import EVERYONE

SECTIONS = ("main", "settings")


@dataclass(frozen=True)
class NavItem:
    section: str
    order: int
    url_name: str
    label: str
    roles: tuple[str, ...]
    description: str = ""


_items: dict[tuple[str, str], NavItem] = {}
_topbar: dict[str, int] = {}


def register_nav(section: str, order: int, url_name: str, label, *,
                 roles: tuple[str, ...] = EVERYONE, description="") -> None:
    """Add (or replace) one link; idempotent per (section, url_name). `description` is the
    one-line explanation the settings index shows under a settings section."""
    if section not in SECTIONS:
        raise ValueError(f"unknown navigation section {section!r}")
    _items[(section, url_name)] = NavItem(section, order, url_name, label, tuple(roles),
                                          description)


def _mark_active(links: list[dict], current_url_name: str | None,
                 current_path: str | None) -> None:
    """The page itself is active; else the link whose URL is the longest prefix of the path
    (/settings/members/7/ lights "Members"). The root URL "/" only matches itself."""
    exact = [link for link in links if link["url_name"] == current_url_name]
    if not exact and current_path:
        below = [link for link in links if link["url"] != "/" and current_path.startswith(link["url"])]
        exact = sorted(below, key=lambda link: len(link["url"]))[-1:]
    for link in exact:
        link["active"] = True


def nav_for(*, section: str, role: str | None, current_url_name: str | None,
            current_path: str | None = None) -> list[dict]:
    """The links of one section the role may see, in order, with the active one marked."""
    links = []
    for item in sorted((i for i in _items.values() if i.section == section),
                       key=lambda i: (i.order, i.url_name)):
        if role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        links.append({"url": url, "label": item.label, "url_name": item.url_name,
                      "description": item.description, "active": False})
    _mark_active(links, current_url_name, current_path)
    return links


def register_topbar(order: int, template_name: str) -> None:
    """Add (or move) a top-bar widget template; idempotent per template."""
    _topbar[template_name] = order


def topbar_templates() -> list[str]:
    """The top-bar widget templates, in order."""
    return [name for name, _order in sorted(_topbar.items(), key=lambda item: (item[1], item[0]))]
