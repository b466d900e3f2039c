"""The main menu, rendered once per role and page instead of on every request.

Flask-Admin's layout.menu() asks every item is_accessible() and is_visible()
on each page: 33 calls, each reading the current user, 1.3-2 ms of a 12.8 ms
documento search on the demo data (bench.perfil); now 1 call, the view's own.
What it shows depends only on the role, the page's view (the active item) and
the script root, so the HTML is kept per (role, view, script root) in the
process; views and their access rules are fixed when the app starts.
"""

from flask import current_app, request
from flask_login import current_user
from markupsafe import Markup

_MENU_TEMPLATE = "admin/_menu.html"


def _role() -> str:
    if not current_user.is_authenticated:
        return ""
    return current_user.rol


class MenuCache:
    def __init__(self) -> None:
        self._html: dict[tuple[str, str, str], Markup] = {}

    def __call__(self, admin_view) -> Markup:
        key = (_role(), admin_view.endpoint, request.script_root)
        html = self._html.get(key)
        if html is None:
            template = current_app.jinja_env.get_template(_MENU_TEMPLATE)
            # The template is autoescaped like any other .html page.
            html = self._html[key] = Markup(template.render(admin_view=admin_view))  # noqa: S704
        return html
