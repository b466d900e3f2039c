"""PDF documents (fpdf2, pure Python): the recibo de caja and the estados de cuenta.

One page layout for all of them (`Documento`): the company's name and NIT from
the settings, a title, Colombian formats ($ 1.234.567, dd/mm/aaaa), tables of
plain cells. The core Helvetica font covers Spanish (Latin-1); a character
beyond it is written as "?" rather than failing the document.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask import current_app
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from ..formatting import format_cop, format_date, today_bogota

MIMETYPE = "application/pdf"
ALTO_FILA = 5.5


def latin1(texto) -> str:
    return str(texto if texto is not None else "").encode("latin-1", "replace").decode("latin-1")


def pesos(valor) -> str:
    return format_cop(valor, cents=valor != valor.to_integral_value())


class Documento(FPDF):
    def __init__(self, titulo: str, subtitulo: str = "") -> None:
        super().__init__(orientation="P", unit="mm", format="Letter")
        self.titulo = titulo
        self.subtitulo = subtitulo
        self.empresa = current_app.config.get("EMPRESA_NOMBRE") or ""
        self.nit = current_app.config.get("EMPRESA_NIT") or ""
        self.set_title(latin1(titulo))
        self.set_author(latin1(self.empresa))
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(15, 15, 15)
        self.alias_nb_pages()
        self.add_page()

    def header(self) -> None:
        self.set_font("Helvetica", "B", 12)
        self.cell(0, 6, latin1(self.empresa), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if self.nit:
            self.set_font("Helvetica", "", 9)
            self.cell(0, 5, latin1(f"NIT {self.nit}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("Helvetica", "B", 14)
        self.cell(0, 9, latin1(self.titulo), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if self.subtitulo:
            self.set_font("Helvetica", "", 10)
            self.cell(0, 6, latin1(self.subtitulo), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font("Helvetica", "", 8)
        self.cell(
            0,
            5,
            latin1(
                f"Generado el {format_date(today_bogota())} - Página {self.page_no()} de {{nb}}"
            ),
            align="C",
        )

    # -- building blocks ---------------------------------------------------------------
    def subtitulo_seccion(self, texto: str) -> None:
        self.ln(2)
        self.set_font("Helvetica", "B", 11)
        self.cell(0, 7, latin1(texto), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def dato(self, etiqueta: str, valor: str, ancho_etiqueta: float = 45) -> None:
        self.set_font("Helvetica", "B", 10)
        self.cell(ancho_etiqueta, ALTO_FILA, latin1(etiqueta))
        self.set_font("Helvetica", "", 10)
        self.multi_cell(0, ALTO_FILA, latin1(valor), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def tabla(
        self,
        encabezados: Sequence[str],
        filas: Sequence[Sequence[str]],
        anchos: Sequence[float],
        alinear: Sequence[str],
    ) -> None:
        def encabezado() -> None:
            self.set_font("Helvetica", "B", 8.5)
            self.set_fill_color(230, 230, 230)
            for texto, ancho, a in zip(encabezados, anchos, alinear, strict=True):
                self.cell(ancho, ALTO_FILA + 1, latin1(texto), border=1, align=a, fill=True)
            self.ln()
            self.set_font("Helvetica", "", 8.5)

        encabezado()
        for fila in filas:
            if self.will_page_break(ALTO_FILA):
                self.add_page()
                encabezado()
            for texto, ancho, a in zip(fila, anchos, alinear, strict=True):
                self.cell(ancho, ALTO_FILA, latin1(texto), border=1, align=a)
            self.ln()

    def sello(self, texto: str) -> None:
        """A large red mark across the page (ANULADO)."""
        self.set_font("Helvetica", "B", 40)
        self.set_text_color(200, 0, 0)
        self.cell(0, 18, latin1(texto), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)

    def bytes(self) -> bytes:
        return bytes(self.output())


def fecha(valor: date | None) -> str:
    return format_date(valor)
