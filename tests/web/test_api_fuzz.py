"""Schemathesis against the console's OpenAPI: no generated input, valid or not, makes a 500.

Bounded so it stays well under a minute on both databases: a fixed number of examples over all
operations, positive and negative, no shrinking database, no deadline (shared CI cores).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from hub.web.context import COOKIE
from tests.web.conftest import ClientFor, Site, need

EXAMPLES = 120


def test_no_server_error_on_any_generated_input(site: Site, client_for: ClientFor) -> None:
    try:
        import schemathesis
        from schemathesis import GenerationMode
    except ImportError:
        need(False, "the API fuzz test needs schemathesis (pip install -e '.[dev]')")
    session = client_for("root").cookies.get(COOKIE)
    assert session
    assert client_for().get("/api/openapi.json").status_code == 401  # the schema is for users only
    schema = schemathesis.openapi.from_asgi(
        "/api/openapi.json", site.app, headers={"Cookie": f"{COOKIE}={session}"}
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 14
    strategy = st.one_of(
        schema.as_strategy(generation_mode=mode, cookies={COOKIE: session})
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    )
    seen: set[str] = set()

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def call(case: object) -> None:
        response = case.call()  # type: ignore[attr-defined]
        seen.add(case.operation.label)  # type: ignore[attr-defined]
        assert response.status_code < 500, (case.method, case.path, response.text[:500])  # type: ignore[attr-defined]
        assert response.status_code not in (401, 403), response.text  # the session holds every role

    call()
    assert len(seen) >= 10, seen


@pytest.mark.parametrize(
    "path", ["/api/review/candidates/0", "/api/audit/history/Customer/1", "/api/leads/funnel?days=-1"]
)
def test_out_of_range_parameters_are_422(site: Site, client_for: ClientFor, path: str) -> None:
    assert client_for("root").get(path).status_code == 422
