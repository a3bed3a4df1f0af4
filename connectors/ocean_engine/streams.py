"""Ocean Engine streams, declared as data."""

from __future__ import annotations

from connectors.ocean_engine.payloads import OceanEngineClue
from connectors.streams import Stream, numbered_pages

__all__ = ["LEADS", "STREAMS"]

LEADS = Stream(
    name="leads",
    path="/open_api/2/tools/clue/get/",
    primary_key="clue_id",
    cursor_field="create_time_detail",
    records_path="data.list",
    paginator=numbered_pages(total_pages_path="data.page_info.total_page", largest_page=100),
    payload_model=OceanEngineClue,
)

STREAMS = (LEADS,)
