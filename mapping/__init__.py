"""Vendor payloads and spreadsheet rows -> :class:`mapping.canonical.CanonicalLead`, and the normalisers.

Pure functions: the only I/O is reading this package's data files and a tenant's override files.
Normalisers raise :class:`core.errors.MappingError` whose message says what is wrong; the field map
engine decides whether a bad value loses the lead (no way to reach anyone) or only goes to remark.
"""

from __future__ import annotations

from mapping._text import to_text
from mapping.budget import BudgetRange, parse_budget
from mapping.channel import clean_campaign, clean_channel
from mapping.company import CompanyParts, company_core, normalise_company
from mapping.email_address import EmailAddress, normalise_email
from mapping.fieldmap import (
    SOURCE_KINDS,
    FieldMap,
    Findings,
    load_field_map,
    map_excel_row,
    map_lead,
    read_excel_row,
)
from mapping.person import PersonName, normalise_person_name
from mapping.phone import Phone, normalise_phone, plain_phone
from mapping.products import ProductCatalog, ProductReading, load_product_catalog, match_products
from mapping.region import RegionHints, split_region
from mapping.timestamps import parse_timestamp
from mapping.uscc import uscc_check_char, validate_uscc

__all__ = [
    "SOURCE_KINDS",
    "BudgetRange",
    "CompanyParts",
    "EmailAddress",
    "FieldMap",
    "Findings",
    "PersonName",
    "Phone",
    "ProductCatalog",
    "ProductReading",
    "RegionHints",
    "clean_campaign",
    "clean_channel",
    "company_core",
    "load_field_map",
    "load_product_catalog",
    "map_excel_row",
    "map_lead",
    "match_products",
    "normalise_company",
    "normalise_email",
    "normalise_person_name",
    "normalise_phone",
    "parse_budget",
    "parse_timestamp",
    "plain_phone",
    "read_excel_row",
    "split_region",
    "to_text",
    "uscc_check_char",
    "validate_uscc",
]
