"""Ocean Engine streams, declared as data."""

from __future__ import annotations

from connectors.ocean_engine.payloads import OceanEngineClue
from connectors.pagination import PageNumberPaginator, Paginator
from connectors.settings import ConnectorSettings
from connectors.streams import Stream

__all__ = ["LEADS", "STREAMS"]


def _pages(settings: ConnectorSettings) -> Paginator:
    return PageNumberPaginator(
        page_param="page",
        size_param="page_size",
        page_size=min(settings.page_size, 100),
        total_pages_path="data.page_info.total_page",
        max_pages=settings.max_pages,
    )


LEADS = Stream(
    name="leads",
    path="/open_api/2/tools/clue/get/",
    primary_key="clue_id",
    cursor_field="create_time_detail",
    records_path="data.list",
    paginator=_pages,
    payload_model=OceanEngineClue,
)

STREAMS = (LEADS,)
