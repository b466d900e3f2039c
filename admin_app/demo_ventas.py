"""The demo's separations, sales, plans and payments (through the services)."""


def load_demo_operations(rng, clientes, apartamentos) -> str:
    return ""
