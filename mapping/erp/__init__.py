"""ERP code mappings and ERP payloads <-> the hub's finance records (pure functions)."""

from mapping.erp.codes import ErpCodes, load_erp_codes, parse_codes

__all__ = ["ErpCodes", "load_erp_codes", "parse_codes"]
