"""Load the lazily built tables (OpenCC dictionaries, phone metadata, regions) once, up front."""

from __future__ import annotations

import pytest

from mapping import company_core, load_field_map, normalise_phone, split_region


@pytest.fixture(scope="session", autouse=True)
def _warm_tables() -> None:
    company_core("杭州智聯醫療器械有限公司")
    normalise_phone("13812345678")
    split_region("浙江省 杭州市")
    load_field_map("excel")
