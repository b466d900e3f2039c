"""Reads the tags of a page (stdlib parser) for tests about what its HTML shows."""

from html.parser import HTMLParser


class _Etiquetas(HTMLParser):
    def __init__(self):
        super().__init__()
        self.encontradas: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.encontradas.append((tag, {k: v if v is not None else "" for k, v in attrs}))


def etiquetas(html: str, tag: str) -> list[dict[str, str]]:
    """The attributes of every `tag` in the page, in order."""
    lector = _Etiquetas()
    lector.feed(html)
    return [attrs for nombre, attrs in lector.encontradas if nombre == tag]


def por_id(html: str, tag: str) -> dict[str, dict[str, str]]:
    return {attrs["id"]: attrs for attrs in etiquetas(html, tag) if "id" in attrs}


def campos_sin_label(html: str) -> list[str]:
    """Ids of visible-type inputs, selects and textareas no <label for=...> names."""
    nombrados = {attrs.get("for") for attrs in etiquetas(html, "label")}
    sin_label = []
    for tag in ("input", "select", "textarea"):
        for attrs in etiquetas(html, tag):
            if attrs.get("type") in ("hidden", "submit", "button"):
                continue
            if attrs.get("id") not in nombrados:
                sin_label.append(attrs.get("id") or attrs.get("name", "?"))
    return sin_label
