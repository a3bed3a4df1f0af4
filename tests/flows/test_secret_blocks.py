"""Settings read from Prefect Secret blocks at run time, opt-in; the environment still wins."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from connectors.webform.settings import WebFormSettings
from connectors.yonyou import YonyouSettings
from core.secret_blocks import OPT_IN, _read_block, block_name


@pytest.fixture
def blocks(prefect_harness: None) -> Iterator[None]:
    from prefect.blocks.system import Secret

    Secret(value="yy-from-block").save("synchub-yonyou-app-secret", overwrite=True)
    Secret(value={"contact-us": "form-secret-from-block"}).save("synchub-webform-secrets", overwrite=True)
    _read_block.cache_clear()
    yield
    _read_block.cache_clear()


def test_block_names_follow_the_variables() -> None:
    assert block_name("SYNCHUB_YONYOU_APP_SECRET") == "synchub-yonyou-app-secret"


def test_secret_fields_come_from_blocks_only_when_opted_in(
    blocks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert YonyouSettings().app_secret is None  # off by default: no call to the server at all
    monkeypatch.setenv(OPT_IN, "1")
    settings = YonyouSettings()
    assert settings.app_secret is not None and settings.app_secret.get_secret_value() == "yy-from-block"
    assert settings.app_key == ""  # not a secret field: never looked up
    forms = WebFormSettings().secrets
    assert forms["contact-us"].get_secret_value() == "form-secret-from-block"
    assert "yy-from-block" not in repr(settings)
    monkeypatch.setenv("SYNCHUB_YONYOU_APP_SECRET", "from-the-environment")
    assert YonyouSettings().app_secret.get_secret_value() == "from-the-environment"  # type: ignore[union-attr]
