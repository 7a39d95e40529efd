"""`mubiao run` without PREFECT_API_URL boots Prefect's temporary server itself, and stops it after."""

from __future__ import annotations

import httpx
import pytest

from flows.api_server import temporary_api


def test_a_temporary_api_serves_the_block_and_is_gone_after() -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        booting = []
        with temporary_api(lambda: booting.append(PREFECT_API_URL.value())):
            url = PREFECT_API_URL.value()
            assert url.startswith("http://127.0.0.1:") and url.endswith("/api")
            assert httpx.get(f"{url}/health").status_code == 200
            assert httpx.post(f"{url}/flows/filter", json={}).status_code == 200, "the API answers, not only /health"
        assert booting == [None], "the start-up work ran while the server booted"
        assert not PREFECT_API_URL.value()
        with pytest.raises(httpx.TransportError):
            httpx.get(f"{url}/health", timeout=1)


def test_a_configured_api_is_used_as_it_is() -> None:
    from prefect.settings import PREFECT_API_URL

    configured = PREFECT_API_URL.value()
    assert configured, "the session's Prefect test harness sets one"
    ran = []
    with temporary_api(lambda: ran.append(True)):
        assert PREFECT_API_URL.value() == configured
    assert ran == [True]
