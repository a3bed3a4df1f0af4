"""One FastAPI app with every vendor simulator at its real paths, plus an admin API.

Admin endpoints (not part of any vendor's API):

- ``GET  /_sandbox/faults``   the fault switches of every vendor
- ``PUT  /_sandbox/faults``   ``{"ocean_engine": {"http_429": 2}, ...}``: change some switches
- ``POST /_sandbox/reset``    fresh tokens, no faults, no counters, only the seeded leads
- ``GET  /_sandbox/stats``    request, refresh, fault and nonce counters per vendor
"""

from __future__ import annotations

from typing import Any

from fastapi import Body, FastAPI, HTTPException

from connectors.sandbox import baidu, ocean_engine, tencent_ads
from connectors.sandbox import kingdee as kingdee_erp  # issue 7: ERP simulators
from connectors.sandbox import yonyou as yonyou_erp
from connectors.sandbox.state import VENDORS, SandboxState

__all__ = ["create_app"]


def create_app(state: SandboxState | None = None) -> FastAPI:
    """The sandbox app over ``state`` (a fresh default-seeded state if None)."""
    sandbox = state if state is not None else SandboxState()
    app = FastAPI(
        title="SyncHub vendor sandbox", docs_url="/_sandbox/docs", openapi_url="/_sandbox/openapi.json"
    )
    app.state.sandbox = sandbox
    app.include_router(ocean_engine.build_router(sandbox))
    app.include_router(tencent_ads.build_router(sandbox))
    app.include_router(baidu.build_router(sandbox))
    from connectors.sandbox import aliyun_sms, amap, dingtalk, wecom  # issue 5: geocoding, notifications

    app.include_router(amap.build_router(sandbox))
    app.include_router(dingtalk.build_router(sandbox))
    app.include_router(wecom.build_router(sandbox))
    app.include_router(aliyun_sms.build_router(sandbox))
    app.include_router(kingdee_erp.build_router(sandbox))
    app.include_router(yonyou_erp.build_router(sandbox))

    @app.get("/_sandbox/faults")
    def get_faults() -> dict[str, Any]:
        faults: dict[str, Any] = sandbox.snapshot()["faults"]
        return faults

    @app.put("/_sandbox/faults")
    def put_faults(changes: dict[str, dict[str, Any]] = Body(...)) -> dict[str, Any]:  # noqa: B008
        unknown = set(changes) - set(VENDORS)
        if unknown:
            raise HTTPException(400, f"unknown vendors {sorted(unknown)}; known: {list(VENDORS)}")
        with sandbox.lock:
            try:
                for vendor, switches in changes.items():
                    sandbox.faults[vendor].update(switches)
            except ValueError as exc:
                raise HTTPException(400, str(exc)) from exc
        return get_faults()

    @app.post("/_sandbox/reset")
    def reset() -> dict[str, str]:
        sandbox.reset()
        return {"status": "reset"}

    @app.get("/_sandbox/stats")
    def stats() -> dict[str, Any]:
        return sandbox.snapshot()

    return app
