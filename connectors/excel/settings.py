"""Limits on imported files (``SYNCHUB_IMPORT_*``): what a spreadsheet or CSV may hold before it is read.

A lead list is small; a hostile file is not. The xlsx reader (calamine) loads a whole sheet as a
dense grid (rows x columns of the used area, ~32 bytes a cell, a shared string copied into every cell
that uses it), so a 5 KB file with one cell at ``XFD1048576`` asks for 512 GiB. These limits are
checked before the reader starts (``connectors.excel._xlsx_limits``, ``connectors.excel._csv_text``)
and again while it reads; a file over one is refused whole with one line naming the setting to raise.
With the defaults an import stays within a few hundred MB whatever the file holds.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from core.secret_blocks import SynchubSettings

__all__ = ["ImportSettings"]

MiB = 1 << 20


class ImportSettings(SynchubSettings):
    model_config = SettingsConfigDict(env_prefix="SYNCHUB_IMPORT_", extra="ignore")

    max_file_bytes: int = Field(
        256 * MiB, gt=0, description="Largest file (.xlsx or .csv) accepted, in bytes on disk."
    )
    max_xml_bytes: int = Field(
        256 * MiB,
        gt=0,
        description="Largest uncompressed size of all the XML parts of an .xlsx together (a zip bomb "
        "is refused before it is inflated).",
    )
    max_rows: int = Field(
        500_000, gt=0, description="Most rows in a sheet (its last row number) or records in a CSV."
    )
    max_columns: int = Field(
        1_000, gt=0, description="Most columns in a sheet (its last used column) or fields in a CSV record."
    )
    max_cells: int = Field(
        5_000_000,
        gt=0,
        description="Most cells in a sheet's used area (rows x columns): the grid the xlsx reader allocates.",
    )
    max_cell_bytes: int = Field(
        128 * 1024,
        gt=0,
        description="Largest cell, in bytes as stored (Excel itself stops at 32,767 characters).",
    )
    max_line_bytes: int = Field(1 * MiB, gt=0, description="Longest line of a CSV file, in bytes.")
    max_text_bytes: int = Field(
        256 * MiB,
        gt=0,
        description="Most text all the cells of a sheet hold together, each shared string counted "
        "once for every cell that shows it.",
    )

    def refusal(self, file: str, what: str, limit: str) -> str:
        """The one line a refused file gets: what is over, and the setting that allows more."""
        value = getattr(self, limit)
        return (
            f"{file}: {what}, over the import limit of {value:,} "
            f"(SYNCHUB_IMPORT_{limit.upper()}); the file was not imported"
        )
