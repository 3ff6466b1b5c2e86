"""The store's base URL: from the domain prefix, or an override that must be safe."""

from __future__ import annotations

import pytest

from agent.pos import BearerToken, PosClient, base_url_for


def test_domain_prefix_gives_the_lightspeed_url():
    assert base_url_for("mystore") == "https://mystore.retail.lightspeed.app"
    assert base_url_for(" MyStore ") == "https://mystore.retail.lightspeed.app"


@pytest.mark.parametrize(
    "prefix", ["", "my store", "evil.com/x", "-lead", "a" * 64, "ok?x=1"]
)
def test_bad_prefixes_are_refused(prefix: str):
    with pytest.raises(ValueError, match="domain prefix"):
        base_url_for(prefix)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://shop.retail.lightspeed.app/", "https://shop.retail.lightspeed.app"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("http://localhost:9/proxy/", "http://localhost:9/proxy"),
    ],
)
def test_base_url_override(url: str, expected: str):
    assert PosClient(url, BearerToken("t")).base_url == expected


@pytest.mark.parametrize(
    "url",
    ["http://shop.example", "ftp://127.0.0.1", "shop.example", "https://x.app/?a=1"],
)
def test_plain_http_to_a_remote_host_and_odd_urls_are_refused(url: str):
    with pytest.raises(ValueError, match="base URL"):
        PosClient(url, BearerToken("t"))


def test_timeout_must_be_positive():
    with pytest.raises(ValueError, match="timeout"):
        PosClient("https://x.retail.lightspeed.app", BearerToken("t"), timeout=0)
