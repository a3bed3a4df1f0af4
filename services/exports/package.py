"""The fixed parts of an .xlsx package around its worksheets (ECMA-376 part 1, Open Packaging
Conventions): content types, relationships, the workbook with its sheet names and auto-filter names,
and the one style sheet every export uses (cell styles by index: 1 header, 2 whole number, 3 money,
4 date, 5 date and time)."""

from __future__ import annotations

import zipfile
from xml.sax.saxutils import escape, quoteattr

__all__ = ["DATE", "DATETIME", "MAIN", "MONEY", "REL", "XML", "write_parts"]

MONEY = "#,##0.00"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
STYLES = (
    f'{XML}<styleSheet xmlns="{MAIN}">'
    f'<numFmts count="3"><numFmt numFmtId="164" formatCode="{MONEY}"/>'
    f'<numFmt numFmtId="165" formatCode="{DATE}"/>'
    f'<numFmt numFmtId="166" formatCode="{DATETIME}"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/></patternFill></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" '
    'applyAlignment="1">'
    '<alignment vertical="center" wrapText="1"/></xf>'
    '<xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _content_types(sheets: int) -> str:
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_TYPE}.worksheet+xml"/>'
        for n in range(1, sheets + 1)
    )
    return (
        f'{XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/>{overrides}</Types>'
    )


def _workbook(titles: list[str], filters: list[tuple[int, str]]) -> str:
    sheets = "".join(
        f'<sheet name={quoteattr(t)} sheetId="{n}" r:id="rId{n}"/>' for n, t in enumerate(titles, 1)
    )
    names = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">{escape(ref)}</definedName>'
        for i, ref in filters
    )
    return (
        f'{XML}<workbook xmlns="{MAIN}" xmlns:r="{REL}"><bookViews><workbookView/></bookViews>'
        f"<sheets>{sheets}</sheets>{f'<definedNames>{names}</definedNames>' if names else ''}</workbook>"
    )


def write_parts(book: zipfile.ZipFile, titles: list[str], filters: list[tuple[int, str]]) -> None:
    """Everything but ``xl/worksheets/sheetN.xml`` (N = 1.. in ``titles`` order); ``filters`` are
    (sheet index from 0, range such as ``'明细'!$A$1:$M$101``) of the sheets' auto-filters."""
    book.writestr("[Content_Types].xml", _content_types(len(titles)))
    book.writestr(
        "_rels/.rels",
        f'{XML}<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
    )
    book.writestr("xl/workbook.xml", _workbook(titles, filters))
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="{REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(titles) + 1)
    )
    styles = f'<Relationship Id="rId{len(titles) + 1}" Type="{REL}/styles" Target="styles.xml"/>'
    book.writestr(
        "xl/_rels/workbook.xml.rels", f'{XML}<Relationships xmlns="{PKG_REL}">{rels}{styles}</Relationships>'
    )
    book.writestr("xl/styles.xml", STYLES)
