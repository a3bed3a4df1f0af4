"""One schedule source: prefect.yaml is what flows/schedules.toml says, every entrypoint is a module path
that loads, and every flow has a timeout and the failure hooks."""

from __future__ import annotations

import importlib
from pathlib import Path

import yaml
from typer.testing import CliRunner

from flows.failures import tell_ops_of_failure
from flows.prefect_yaml import prefect_yaml_text
from flows.registry import flows_by_name, load_jobs
from hub.cli.main import app

ROOT = Path(__file__).resolve().parents[2]


def test_the_checked_in_prefect_yaml_is_written_from_the_schedules() -> None:
    assert (ROOT / "prefect.yaml").read_text(encoding="utf-8") == prefect_yaml_text(load_jobs())


def test_the_check_command_fails_on_a_hand_edited_file(tmp_path: Path) -> None:
    edited = tmp_path / "prefect.yaml"
    edited.write_text(
        prefect_yaml_text(load_jobs()).replace("interval: 300", "interval: 30"), encoding="utf-8"
    )
    runner = CliRunner()
    assert runner.invoke(app, ["flows", "prefect-yaml", "--check", "--out", str(edited)]).exit_code == 1
    assert runner.invoke(app, ["flows", "prefect-yaml", "--out", str(edited)]).exit_code == 0
    assert runner.invoke(app, ["flows", "prefect-yaml", "--check", "--out", str(edited)]).exit_code == 0


def test_every_deployment_loads_by_module_path_and_bakes_in_no_path() -> None:
    document = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    assert document["pull"] == []
    jobs = {job.name: job for job in load_jobs()}
    assert [d["name"] for d in document["deployments"]] == list(jobs)
    for deployment in document["deployments"]:
        module, _, attribute = deployment["entrypoint"].partition(":")
        assert "/" not in module and not module.endswith(".py")
        loaded = getattr(importlib.import_module(module), attribute)
        assert loaded is flows_by_name()[jobs[deployment["name"]].flow]
        assert deployment["concurrency_limit"]["collision_strategy"] == "CANCEL_NEW"
        assert "synchub" in deployment["tags"] and deployment["description"]


def test_every_flow_has_a_timeout_and_tells_ops_of_failures() -> None:
    for name, flow in flows_by_name().items():
        assert flow.timeout_seconds and flow.timeout_seconds <= 3 * 3600, name
        assert tell_ops_of_failure in flow.on_failure_hooks, name
        assert tell_ops_of_failure in flow.on_crashed_hooks, name
