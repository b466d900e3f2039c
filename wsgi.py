"""gunicorn entry point: gunicorn wsgi:app"""

from admin_app import create_app

app = create_app()
