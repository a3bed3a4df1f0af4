"""The routing examples of the issue as table tests, score and health, and invalid files."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from core.errors import ConfigError
from services.routing import LeadFacts, RoutingConfig, decide, load_rules, load_territories, score_lead
from services.routing.config import DEFAULTS

BASE = {"source": "baidu:zhilian-sem", "channel": "baidu", "adcode": "330106"}


def facts(**changes: object) -> LeadFacts:
    values = {"id": 1, **BASE, **changes}
    return LeadFacts(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "lead", "rule", "team", "owner", "strategy", "sla"),
    [
        (
            "douyin orthopaedics page -> ortho team",
            facts(source="ocean_engine:1760000000000001", channel="douyin", campaign="抖音-骨科耗材落地页"),
            "douyin-ortho-page",
            "ortho",
            None,
            "weighted_capacity",
            60,
        ),
        (
            "same page from Baidu -> territory",
            facts(campaign="抖音-骨科耗材落地页"),
            "territory",
            "east",
            None,
            "round_robin",
            120,
        ),
        (
            "ortho 3 + IVD 2 = 5 >= 4 -> ortho lead's pool",
            facts(products=("ortho_consumables", "ivd_reagents")),
            "ortho-interest",
            "ortho",
            None,
            "team_lead",
            120,
        ),
        (
            "ortho 3 + instruments 1 = 4 -> ortho lead's pool",
            facts(products=("ortho_consumables", "surgical_instruments")),
            "ortho-interest",
            "ortho",
            None,
            "team_lead",
            120,
        ),
        (
            "IVD 2 + instruments 1 = 3 < 4 -> territory",
            facts(products=("ivd_reagents", "surgical_instruments")),
            "territory",
            "east",
            None,
            "round_robin",
            120,
        ),
        (
            "立即报价 -> urgent, 30 min SLA",
            facts(remark="请立即报价，谢谢"),
            "urgent-quote",
            "east",
            None,
            "round_robin",
            30,
        ),
        ("Xiaoshan has a fixed owner", facts(adcode="330109"), "territory", "east", "chen", None, 120),
        (
            "Beijing -> north, fewest open",
            facts(adcode="110105"),
            "territory",
            "north",
            None,
            "fewest_open",
            120,
        ),
        ("no territory, no rule -> unassigned", facts(adcode="650102"), None, None, None, None, 120),
    ],
)
def test_routing_examples(
    config: RoutingConfig, name: str, lead: LeadFacts, rule: str | None, team: str | None,
    owner: str | None, strategy: str | None, sla: int,
) -> None:  # fmt: skip
    decision = decide(lead, config.rules, config.territories)
    assert (decision.rule, decision.team, decision.owner, decision.strategy, decision.sla_minutes) == (
        rule, team, owner, strategy, sla), name  # fmt: skip


@pytest.mark.parametrize(
    ("budget", "alerts"),
    [
        (Decimal(500_000), [("dingtalk", "team_lead"), ("sms", "team_lead")]),
        (Decimal(499_999), []),
        (None, []),
    ],
)
def test_high_budget_alerts_the_team_lead(
    config: RoutingConfig, budget: Decimal | None, alerts: list[object]
) -> None:
    decision = decide(facts(budget=budget), config.rules, config.territories)
    assert [(a["channel"], a["who"]) for a in decision.alerts] == alerts
    assert decision.team == "east"  # the alert rule does not decide the assignment


def test_trace_says_why_each_rule_matched_or_not(config: RoutingConfig) -> None:
    decision = decide(facts(products=("ivd_reagents",)), config.rules, config.territories)
    steps = {step["rule"]: step for step in decision.trace}
    assert steps["ortho-interest"]["matched"] is False
    assert "product interest 2 (ivd_reagents) >= 4: False" in steps["ortho-interest"]["why"]
    assert steps["territory"]["matched"] is True


def test_score_and_health_from_weighted_signals(config: RoutingConfig) -> None:
    hot = facts(mobile=True, company="杭州某医院", budget=Decimal(800_000), products=("ortho_consumables", "ivd_reagents"),
                remark="立即报价")  # fmt: skip
    cold = facts(company="")
    hot_score, hot_health, parts = score_lead(hot, config.rules)
    cold_score, cold_health, _ = score_lead(cold, config.rules)
    assert hot_health == "red" and hot_score >= 90 and parts["budget"] == 25
    assert cold_health == "green" and cold_score == 5  # located only


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[[rule]]\nname = "a"\nchanel = "douyin"\nassign_team = "east"\n',
            "rules.toml:3: rule 'a': unknown key 'chanel' (did you mean 'channel'?)",
        ),
        (
            '[[rule]]\nname = "a"\nsource = "(ocean"\nassign_team = "east"\n',
            "rules.toml:3: rule 'a': source is not a valid regular expression",
        ),
        (
            '[[rule]]\nname = "a"\nassign_team = "west"\n',
            "rules.toml:3: rule 'a': assign_team: unknown team 'west'",
        ),
        ('[[rule]]\nname = "a"\nbudget_min = 500000\n', "rules.toml:1: rule 'a': a rule needs an action"),
        (
            '[[rule]]\nname = "a"\nbudget_min = "lots"\nalert = ["dingtalk"]\n',
            "rules.toml:3: rule 'a': budget_min must be a number",
        ),
        ('[[rule]]\nname = "a"\nalert = ["fax:boss"]\n', "rules.toml:3: rule 'a': alert 'fax:boss'"),
        (
            '[[rule]]\nname = "a"\nassign_team = "east"\n[[rule]]\nname = "a"\nassign_team = "east"\n',
            "rules.toml:5: rule 'a': another rule has the same name",
        ),
        (
            '[product_weights]\northo = 3\n[[rule]]\nname = "a"\nproducts_min = 4\nassign_team = "ortho"\n',
            "rules.toml:2: product_weights: unknown product 'ortho'",
        ),
        ('[[rule]\nname = "a"\n', "rules.toml:1: invalid TOML"),
    ],
)
def test_invalid_rule_files_say_file_line_and_what(tmp_path: Path, text: str, expected: str) -> None:
    territories = load_territories(DEFAULTS / "territories.toml")
    with pytest.raises(ConfigError) as err:
        load_rules(_write(tmp_path, text), territories, {"ortho_consumables", "ivd_reagents"})
    assert expected in str(err.value).replace(str(tmp_path) + "/", "")


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = '[[rule]]\nname = "a"\nchanel = "x"\nassign_team = "west"\n'
    territories = load_territories(DEFAULTS / "territories.toml")
    with pytest.raises(ConfigError) as err:
        load_rules(_write(tmp_path, text), territories)
    assert len(str(err.value).splitlines()) == 2


def test_invalid_territories_file(tmp_path: Path) -> None:
    path = tmp_path / "territories.toml"
    path.write_text('[people.a]\nname = "A"\n[teams.t]\nlead = "a"\nsupervisor = "b"\nmembers = [{ person = "a" }]\n'
                    '[[territory]]\nprefix = "3"\nteam = "t"\n', encoding="utf-8")  # fmt: skip
    with pytest.raises(ConfigError) as err:
        load_territories(path)
    message = str(err.value)
    assert "territories.toml:5: teams.t: supervisor 'b' is not a known person" in message
    assert "territories.toml:8: territory 1: prefix '3' must be 2, 4 or 6 digits" in message
