"""Fixtures shared by the admin tests of the sales forms."""

import pytest

from tests import factories


@pytest.fixture
def datos(db):
    proyecto = factories.proyecto(nombre="Reserva del Río")
    apto = factories.apartamento(factories.torre(proyecto, nombre="Torre A"), numero="101")
    cliente = factories.cliente(documento="1020304050", nombre="María Gómez")
    db.session.commit()
    return {"proyecto": proyecto, "apartamento": apto, "cliente": cliente}
