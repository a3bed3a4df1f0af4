"""The sandbox: deterministic realistic data, loopback only, CLI, vendor-shaped errors."""

from __future__ import annotations

import re
from collections import Counter

import httpx
import pytest
from typer.testing import CliRunner

from connectors.sandbox import SandboxState, running_sandbox, serve
from connectors.sandbox.cli import sandbox_app
from connectors.sandbox.seed import generate_leads
from core.errors import ConfigError


def test_same_seed_same_leads_other_seed_other_leads() -> None:
    assert SandboxState(seed=3).records == SandboxState(seed=3).records
    assert SandboxState(seed=3).records != SandboxState(seed=4).records
    assert generate_leads(1, 20) == generate_leads(1, 20)


def test_leads_look_like_chinese_b2b_medical_device_leads() -> None:
    leads = generate_leads("realism", 400)
    companies = {lead.company for lead in leads}
    assert {"杭州智联医疗器械有限公司", "智联医械(杭州)有限公司", "杭州智联医疗器械"} <= companies
    phones = [lead.phone or "" for lead in leads]
    assert any(re.fullmatch(r"1\d{2} \d{4} \d{4}", p) for p in phones)
    assert any(p.startswith("+86-1") for p in phones)
    assert any(re.fullmatch(r"0571-8888\d{4}", p) for p in phones)
    assert any(p and not re.search(r"1[3-9]\d\D?\d{4}\D?\d{4}|0\d{2,3}", p) for p in phones), (
        "some bad phones"
    )
    addresses = {lead.address for lead in leads}
    assert {"杭州萧山", "朝阳区", "鼓楼区", "建国路88号SOHO现代城"} <= addresses
    assert {"50万", "50-100万", "≥50万", "1.2亿"} <= {lead.budget for lead in leads}
    assert {"骨科耗材", "IVD试剂", "手术器械"} <= {lead.product for lead in leads}
    assert sum(lead.contact is None for lead in leads) >= 5, "some records miss fields"
    ties = Counter(lead.created_at for lead in leads)
    assert any(n > 1 for n in ties.values()), "some leads share a second (boundary ties)"
    assert [lead.created_at for lead in leads] == sorted(lead.created_at for lead in leads)


def test_the_same_company_arrives_through_every_channel() -> None:
    state = SandboxState(seed=7)
    text = {vendor: str(state.all_records(vendor)) for vendor in ("ocean_engine", "tencent_ads", "baidu")}
    assert all("智联" in blob and "康瑞" in blob for blob in text.values())


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.2", ""])
def test_only_loopback(host: str) -> None:
    with pytest.raises(ConfigError, match="loopback"):
        serve(host=host, port=1)
    with pytest.raises(ConfigError), running_sandbox(host=host):
        pass


def test_cli_has_a_serve_command() -> None:
    result = CliRunner().invoke(sandbox_app, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--port" in result.output and "--seed" in result.output


def test_a_stopped_sandbox_stops_listening() -> None:
    with running_sandbox(SandboxState(seed=1, leads_per_account=3)) as sandbox:
        assert httpx.get(f"{sandbox.base_url}/_sandbox/stats").status_code == 200
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{sandbox.base_url}/_sandbox/stats", timeout=1)


def test_vendor_errors_have_the_vendor_shape(sandbox_server: object) -> None:
    from connectors.sandbox import RunningSandbox

    assert isinstance(sandbox_server, RunningSandbox)
    base = sandbox_server.base_url
    oe = httpx.get(f"{base}/open_api/2/tools/clue/get/", headers={"Access-Token": "nope"}).json()
    assert oe["code"] == 40105 and "request_id" in oe
    tx = httpx.get(f"{base}/v3.0/leads_list/get").json()
    assert tx["code"] == 11005 and tx["code_type"] == "BusinessException" and "data" not in tx
    assert httpx.post(f"{base}/v3.0/leads_list/get").status_code == 405
    assert httpx.get(f"{base}/v1.3/lead_clues/get").status_code == 405
    bd = httpx.post(f"{base}/json/sms/service/LeadsNoticeService/getNoticeList", json={"header": {}}).json()
    assert bd["header"]["status"] == 3 and bd["header"]["failures"][0]["code"] == 8101
