"""Redaction of URLs, headers, bodies and log records."""

from __future__ import annotations

import logging

import httpx
import pytest

from connectors.redaction import (
    get_logger,
    install_log_redaction,
    redact,
    redact_body,
    redact_headers,
    redact_text,
    redact_url,
    register_secret,
)


@pytest.mark.parametrize(
    "name", ["access_token", "token", "key", "secret", "sig", "sign", "app_secret", "Access_Token"]
)
def test_secret_query_parameters_are_masked(name: str) -> None:
    url = f"https://api.example/v1?{name}=s3cr3tvalue&page=2"
    assert redact_url(url) == f"https://api.example/v1?{name}=***&page=2"
    assert redact_url(httpx.URL(url)) == f"https://api.example/v1?{name}=***&page=2"


def test_url_password_and_phone_in_query_are_masked() -> None:
    assert (
        redact_url("https://bob:pw123@host/x?mobile=13812345678")
        == "https://bob:***@host/x?mobile=138****5678"
    )


def test_headers() -> None:
    headers = httpx.Headers(
        {"Access-Token": "abc", "Authorization": "Bearer x", "Cookie": "s=1", "Accept": "json"}
    )
    assert redact_headers(headers) == {
        "access-token": "***",
        "authorization": "***",
        "cookie": "***",
        "accept": "json",
    }
    assert redact_headers([("X-Api-Signature", "zz"), ("X-Trace", "1")]) == {
        "X-Api-Signature": "***",
        "X-Trace": "1",
    }


def test_bodies_mask_secret_keys_and_phones_deeply() -> None:
    body = {
        "header": {"userName": "u", "accessToken": "t0k"},
        "data": [{"phone": "+86-138-1234-5678", "n": 1}],
    }
    assert redact(body) == {
        "header": {"userName": "u", "accessToken": "***"},
        "data": [{"phone": "138****5678", "n": 1}],
    }
    text = redact_body(b'{"refresh_token": "rt", "telephone": "138 1234 5678"}')
    assert "rt" not in text.replace("refresh_token", "") and "138****5678" in text
    assert redact_body("app_secret=abc&x=1") == "app_secret=***&x=1"
    assert redact_body({"x": "y" * 50}, limit=20).endswith("…")


def test_free_text() -> None:
    text = (
        'GET /x?access_token=aaa "accessToken": "bbb" Authorization: Bearer ccc tel 0571-88881234 13912345678'
    )
    out = redact_text(text)
    for secret in ("aaa", "bbb", "ccc", "88881234", "13912345678"):
        assert secret not in out
    assert "0571-****1234" in out and "139****5678" in out


def test_registered_secrets_are_scrubbed_anywhere() -> None:
    register_secret("a-very-unusual-secret-42")
    register_secret("short")  # too short to scrub safely: ignored
    assert redact_text("oops a-very-unusual-secret-42 leaked, short") == "oops *** leaked, short"


def test_filter_on_child_loggers_and_on_httpx(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    install_log_redaction()
    get_logger("synchub.connectors.test").info("call %s for %s", "https://x/?token=zzz9", "13812345678")
    logging.getLogger("httpx").info("HTTP Request: GET %s", "https://x/?access_token=yyy8")
    assert "zzz9" not in caplog.text and "yyy8" not in caplog.text and "13812345678" not in caplog.text
    assert "token=***" in caplog.text and "138****5678" in caplog.text


def test_filter_redacts_exception_text(caplog: pytest.LogCaptureFixture) -> None:
    logger = get_logger("synchub.connectors.test")
    try:
        raise ValueError("boom ?secret=qqq7 for 13812345678")
    except ValueError:
        logger.exception("failed")
    assert "qqq7" not in caplog.text and "13812345678" not in caplog.text
    assert "secret=***" in caplog.text


def test_any_logger_under_synchub_is_redacted_after_install(caplog: pytest.LogCaptureFixture) -> None:
    install_log_redaction()
    plain = logging.getLogger("synchub.services.elsewhere")  # no filter of its own
    assert plain.filters == []
    plain.warning("lead %s with access_token=%s", "13812345678", "tok-plain-99")
    logging.getLogger("unrelated.app").warning("left alone 13812345678")
    assert "tok-plain-99" not in caplog.text and "lead 138****5678" in caplog.text
    assert "left alone 13812345678" in caplog.text
