"""Password hashing and the password policy."""

from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 10

# The most used passwords (global and Spanish-speaking lists): refused outright.
COMMON_PASSWORDS = frozenset(
    [
        "1234567890",
        "0123456789",
        "12345678910",
        "1111111111",
        "0000000000",
        "1234512345",
        "123456789a",
        "qwertyuiop",
        "qwertyuiop1",
        "1q2w3e4r5t",
        "1qaz2wsx3edc",
        "asdfghjkl1",
        "zaq12wsxcde",
        "password12",
        "password123",
        "password1234",
        "passw0rd12",
        "contraseña",
        "contrasena",
        "contrasena1",
        "contrasena123",
        "contraseña1",
        "contraseña123",
        "administrador",
        "admin12345",
        "admin123456",
        "administrator",
        "iloveyou12",
        "teamo12345",
        "teamomucho",
        "princesa12",
        "colombia12",
        "colombia123",
        "colombia2024",
        "colombia2025",
        "colombia2026",
        "bogota1234",
        "medellin123",
        "qwerty1234",
        "qwerty12345",
        "abcdefghij",
        "abc1234567",
        "abcd123456",
        "football12",
        "superman12",
        "dragon1234",
        "monkey1234",
        "letmein123",
        "welcome123",
        "bienvenido",
        "bienvenido1",
        "bienvenida1",
        "cambiame123",
        "cambiar123",
        "temporal123",
    ]
)


def hash_password(password: str) -> str:
    # Werkzeug's default is scrypt with a random salt.
    return generate_password_hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


def password_problems(password: str, username: str = "") -> list[str]:
    """What is wrong with a new password, in Spanish; empty when acceptable."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"La contraseña debe tener al menos {MIN_LENGTH} caracteres.")
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(password)) <= 2:
        problems.append("Esa contraseña es demasiado común; elija otra.")
    if username and username.lower() in lowered:
        problems.append("La contraseña no puede contener el nombre de usuario.")
    return problems
