"""The stored form of a random secret (session cookies, API tokens)."""

import hashlib


def hash_token(token: str) -> str:
    # The token is random and long, so a fast hash is enough: no salt, no stretching.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
