"""The instrument as download links for a page: made in memory, handed over as ``data:`` URIs, never stored."""

from __future__ import annotations

import base64
import csv
import io
import zipfile
from html import escape

from ..present.html_block import HtmlBlock
from .dictionary import dictionary_csv, dictionary_html
from .questionnaire import questionnaire_html
from .template import template_rows

ZIP_NAME = "next-wave-instrument.zip"


def _csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def instrument_zip() -> bytes:
    """Return a zip of the questionnaire, the data dictionary (CSV and HTML) and the blank export template.

    Examples
    --------
    >>> import io, zipfile
    >>> sorted(zipfile.ZipFile(io.BytesIO(instrument_zip())).namelist())
    ['data-dictionary.csv', 'data-dictionary.html', 'export-template.csv', 'questionnaire.html']
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (
            ("questionnaire.html", questionnaire_html()),
            ("data-dictionary.csv", dictionary_csv()),
            ("data-dictionary.html", dictionary_html()),
            ("export-template.csv", _csv_text(template_rows())),
        ):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2011, 9, 9, 0, 0, 0)), text.encode("utf-8"))
    return buffer.getvalue()


def _link(data: bytes, mime: str, filename: str, text: str) -> str:
    payload = base64.b64encode(data).decode("ascii")
    return (
        f'<a class="adass-download" download="{escape(filename, quote=True)}" '
        f'href="data:{mime};base64,{payload}">{escape(text)}</a>'
    )


def instrument_downloads() -> HtmlBlock:
    """Return the download links of the questionnaire, the data dictionary and the whole instrument (zip).

    Examples
    --------
    >>> block = instrument_downloads()
    >>> block.html.count("<a "), 'download="questionnaire.html"' in block.html
    (3, True)
    >>> print(block)
    Downloads: questionnaire.html, data-dictionary.html, next-wave-instrument.zip
    """
    links = [
        _link(
            questionnaire_html().encode("utf-8"),
            "text/html",
            "questionnaire.html",
            "The questionnaire, ready to print (HTML)",
        ),
        _link(
            dictionary_html().encode("utf-8"),
            "text/html",
            "data-dictionary.html",
            "The data dictionary: column, question, type, codes and labels (HTML)",
        ),
        _link(
            instrument_zip(),
            "application/zip",
            ZIP_NAME,
            "Everything for a next wave: questionnaire, dictionary (CSV and HTML) and the blank export template (zip)",
        ),
    ]
    html = '<ul class="adass-instrument">' + "".join(f"<li>{link}</li>" for link in links) + "</ul>"
    return HtmlBlock(html, "Downloads: questionnaire.html, data-dictionary.html, " + ZIP_NAME)
