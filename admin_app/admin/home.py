"""The admin home page: what this back office is, and its sections."""

from flask_admin import expose

from .base import SecureIndexView


class HomeView(SecureIndexView):
    @expose("/")
    def index(self):
        return self.render("admin/home.html")
