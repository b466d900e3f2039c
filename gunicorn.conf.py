"""gunicorn reads this file from the folder it starts in (gunicorn wsgi:app)."""

# Request lines up to gunicorn's largest limit reach the app, whose Spanish 414
# page answers those longer than errors.MAX_URL; gunicorn's own page is English.
limit_request_line = 8190
