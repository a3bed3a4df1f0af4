"""Offline resolution of Chinese addresses to administrative divisions (adcodes); no I/O but the
package's own data. Only what this cannot resolve goes to a geocoder (``services.intake.geocode``)."""

from mapping.address.parser import (
    AddressHints,
    AddressParse,
    hint_divisions,
    normalise_address,
    parse_address,
)
from mapping.address.table import Division, DivisionTable, area_code_table, division_table

__all__ = [
    "AddressHints",
    "AddressParse",
    "Division",
    "DivisionTable",
    "area_code_table",
    "division_table",
    "hint_divisions",
    "normalise_address",
    "parse_address",
]
