"""UTCDateTime: every moment is stored in UTC and read back aware, on SQLite too."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from admin_app.models import ConteoCache


def test_a_moment_comes_back_as_the_same_instant_in_utc(db):
    en_bogota = datetime(2026, 11, 29, 21, 30, tzinfo=ZoneInfo("America/Bogota"))
    db.session.add(ConteoCache(clave="prueba", valor=1, calculado_en=en_bogota))
    db.session.commit()
    db.session.expire_all()

    leido = db.session.get(ConteoCache, "prueba").calculado_en

    assert leido.tzinfo is UTC
    assert leido == datetime(2026, 11, 30, 2, 30, tzinfo=UTC)


def test_a_naive_moment_is_taken_as_utc(db):
    db.session.add(ConteoCache(clave="ingenuo", valor=1, calculado_en=datetime(2026, 1, 2, 3, 4)))
    db.session.commit()
    db.session.expire_all()

    assert db.session.get(ConteoCache, "ingenuo").calculado_en == datetime(
        2026, 1, 2, 3, 4, tzinfo=UTC
    )
