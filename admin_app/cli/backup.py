"""flask backup create | flask backup restore FILE"""

import click
from flask.cli import AppGroup

from ..backup import BackupError, create_backup, restore_backup

backup_cli = AppGroup("backup", help="Respaldar y restaurar la base de datos.")


@backup_cli.command("create")
def create_command() -> None:
    """Crea un respaldo con fecha y hora en BACKUP_DIR (o instance/backups)."""
    try:
        path = create_backup()
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Respaldo creado: {path}")


@backup_cli.command("restore")
@click.argument("archivo", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", "si", is_flag=True, help="No pedir confirmación.")
def restore_command(archivo: str, si: bool) -> None:
    """Reemplaza TODOS los datos de la base con los del respaldo ARCHIVO."""
    if not si:
        click.confirm(
            f"Esto reemplaza todos los datos actuales con los de {archivo}. ¿Continuar?",
            abort=True,
        )
    try:
        restore_backup(archivo)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Base de datos restaurada desde {archivo}.")
