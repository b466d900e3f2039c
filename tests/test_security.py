"""Configuration-level security: hosts, cookies, debug, secrets."""

import pytest

from admin_app import config as app_config
from admin_app import create_app
from admin_app.config import Config


def test_untrusted_host_is_refused(tmp_path):
    config = app_config.TestConfig(f"sqlite:///{tmp_path / 'h.sqlite3'}")
    config.TRUSTED_HOSTS = ["backoffice.example.com"]
    app = create_app(config)
    client = app.test_client()
    assert client.get("/login", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/login", headers={"Host": "backoffice.example.com"}).status_code == 200


def test_secure_cookie_when_configured(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    config = Config()
    assert config.SESSION_COOKIE_SECURE is True
    assert config.SESSION_COOKIE_HTTPONLY is True
    assert config.SESSION_COOKIE_SAMESITE == "Lax"


def test_missing_secret_key_fails_loudly(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        Config()


def test_debug_is_off_unless_asked(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    assert Config().DEBUG is False


def test_html_pages_are_not_cached(admin_client):
    assert admin_client.get("/admin/").headers["Cache-Control"] == "no-store"
