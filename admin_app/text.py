"""Text helpers shared by models, search and validators."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower-case, accent-free, single-spaced: what name search compares.

    "  José  ÁLVAREZ " -> "jose alvarez". ñ folds to n, as users type it
    both ways.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().lower()


def escape_like(text: str) -> str:
    """`text` as a literal inside a LIKE pattern, with `escape="\\"`."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
