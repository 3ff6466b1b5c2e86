"""The emulator's rate limit: budget, headers on every answer, the 429 itself."""

from __future__ import annotations

import email.utils
import time

import pytest
import requests

from agent.emulators.pos import PosEmulator

AUTH = {"Authorization": "Bearer tok"}
LIMIT_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining")


@pytest.mark.parametrize(("registers", "budget"), [(1, 350), (2, 650), (5, 1550)])
def test_budget_is_300_per_register_plus_50(registers: int, budget: int):
    with PosEmulator("tok", registers=registers) as emulator:
        answer = requests.get(f"{emulator.base_url}/api/2.0/outlets", headers=AUTH)
        assert answer.headers["X-RateLimit-Limit"] == str(budget)
        assert answer.headers["X-RateLimit-Remaining"] == str(budget - 1)


def test_every_answer_carries_the_rate_limit_headers():
    with PosEmulator("tok", client_id="c", client_secret="s") as emulator:
        base = emulator.base_url
        emulator.retire("GET /api/2.0/users")
        answers = {
            "ok": requests.get(f"{base}/api/2.0/outlets", headers=AUTH),
            "created": requests.post(
                f"{base}/api/2.0/products",
                headers=AUTH,
                json={"name": "A", "price_excluding_tax": 1},
            ),
            "no token": requests.get(f"{base}/api/2.0/outlets"),
            "bad request": requests.post(
                f"{base}/api/2.0/products", headers=AUTH, data=b"{not json"
            ),
            "unknown path": requests.get(f"{base}/api/2.0/nothing", headers=AUTH),
            "wrong method": requests.delete(f"{base}/api/2.0/outlets", headers=AUTH),
            "gone": requests.get(f"{base}/api/2.0/users", headers=AUTH),
            "token endpoint": requests.post(
                f"{base}/api/1.0/token", data={"grant_type": "refresh_token"}
            ),
            "outside the api": requests.get(f"{base}/favicon.ico"),
            "admin": requests.get(f"{base}/_emulator/state"),
        }
        emulator.set_faults(fault_5xx=1.0)
        answers["5xx"] = requests.get(f"{base}/api/2.0/outlets", headers=AUTH)
        statuses = {name: a.status_code for name, a in answers.items()}
        assert statuses == {
            "ok": 200,
            "created": 201,
            "no token": 401,
            "bad request": 400,
            "unknown path": 404,
            "wrong method": 405,
            "gone": 410,
            "token endpoint": 401,
            "outside the api": 404,
            "admin": 200,
            "5xx": statuses["5xx"],
        }
        assert statuses["5xx"] in (500, 502, 503)
        for name, answer in answers.items():
            for header in LIMIT_HEADERS:
                assert header in answer.headers, (name, header)


def test_over_budget_answers_the_documented_429():
    with PosEmulator("tok", window=30) as emulator:
        url = f"{emulator.base_url}/api/2.0/outlets"
        with requests.Session() as session:
            statuses = [session.get(url, headers=AUTH).status_code for _ in range(350)]
            refused = session.get(url, headers=AUTH)
        assert statuses == [200] * 350
        assert refused.status_code == 429
        assert refused.json() == {
            "error": "Too Many Requests",
            "message": "Rate limiting enforced",
        }
        assert refused.headers["X-RateLimit-Remaining"] == "0"
        retry_at = email.utils.parsedate_to_datetime(refused.headers["Retry-After"])
        assert refused.headers["Retry-After"].endswith("GMT")  # RFC 1123, not seconds
        wait = retry_at.timestamp() - time.time()
        assert 0 < wait <= 31


def test_a_refused_request_changes_nothing_and_does_not_count():
    with PosEmulator("tok", window=30) as emulator:
        with requests.Session() as session:
            for _ in range(350):
                session.get(f"{emulator.base_url}/api/2.0/outlets", headers=AUTH)
            answer = session.post(
                f"{emulator.base_url}/api/2.0/products",
                headers=AUTH,
                json={"name": "Late", "price_excluding_tax": 1},
            )
        assert answer.status_code == 429
        assert emulator.products() == []
        (window,) = emulator.rate_limit_windows()
        assert (window["accepted"], window["refused"]) == (350, 1)


def test_admin_requests_never_count():
    with PosEmulator("tok") as emulator:
        for _ in range(5):
            requests.get(f"{emulator.base_url}/_emulator/state")
        answer = requests.get(f"{emulator.base_url}/api/2.0/outlets", headers=AUTH)
        assert answer.headers["X-RateLimit-Remaining"] == "349"


def test_the_budget_comes_back_when_the_window_ends():
    with PosEmulator("tok", window=0.5) as emulator:
        url = f"{emulator.base_url}/api/2.0/outlets"
        with requests.Session() as session:
            first = session.get(url, headers=AUTH)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                later = session.get(url, headers=AUTH)
                if later.headers["X-RateLimit-Remaining"] == "349":
                    break
                time.sleep(0.05)
        assert first.headers["X-RateLimit-Remaining"] == "349"
        assert later.headers["X-RateLimit-Remaining"] == "349"
        assert len(emulator.rate_limit_windows()) >= 2
