"""HTTP hardening: security headers, trusted proxies and hosts, safe redirects."""

from urllib.parse import urljoin, urlsplit

import flask_admin.helpers
from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

# Our pages load only their own assets (Flask-Admin's are served locally).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'self'; object-src 'none'"
)


def init_security(app: Flask) -> None:
    # Flask-Admin's is_safe_url joins the target to the host before comparing, so
    # `?url=http:evil.com` passes and browsers then open evil.com. Every view reads
    # its return URL through that one function: ours accepts local paths only.
    flask_admin.helpers.is_safe_url = is_safe_path

    if app.config.get("PROXY_FIX_HOPS"):
        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    @app.after_request
    def _security_headers(response: Response) -> Response:
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        # Pages show personal and financial data: never from a cache, nor the back button.
        if response.mimetype == "text/html":
            response.headers["Cache-Control"] = "no-store"
        return response


def is_safe_path(target: str | None) -> bool:
    """True when target stays on this site: a local path, not //host or a scheme."""
    if not target or not isinstance(target, str):
        return False
    # Browsers drop tabs and newlines inside a URL and read a backslash as a slash.
    if "\\" in target or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return False
    if not target.startswith("/"):
        return False
    if target.startswith("//"):
        return False
    joined = urlsplit(urljoin(request.host_url, target))
    return joined.scheme in {"http", "https"} and joined.netloc == urlsplit(request.host_url).netloc


def safe_path_or(target: str | None, fallback: str) -> str:
    return target if is_safe_path(target) else fallback
