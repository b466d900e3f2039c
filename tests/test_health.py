"""/healthz and /readyz: unauthenticated, no data; /readyz asks the database and Redis."""

import pytest


def test_healthz_answers_without_login(client):
    response = client.get("/healthz")
    assert (response.status_code, response.get_data(as_text=True)) == (200, "ok\n")
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_answers_when_the_database_does(client):
    response = client.get("/readyz")
    assert (response.status_code, response.get_data(as_text=True)) == (200, "ok\n")


@pytest.fixture
def redis_url(app):
    original = app.config.get("REDIS_URL")
    yield lambda url: app.config.update(REDIS_URL=url)
    app.config["REDIS_URL"] = original


def test_readyz_pings_redis_when_configured(client, redis_url):
    redis_url("redis://127.0.0.1:6379/15")
    assert client.get("/readyz").status_code == 200


def test_readyz_is_503_when_redis_does_not_answer(client, redis_url):
    redis_url("redis://127.0.0.1:1/0")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_data(as_text=True) == "unavailable: redis\n"
    assert response.headers["Retry-After"] == "5"
