"""`scrub` cuts credentials from every shape a library or a proxy prints them in, and
leaves the rest of the text (paths, harmless parameters, prose) as it was."""

from __future__ import annotations

import logging

import pytest

from agent.redaction import (
    LIBRARY_LOGGERS,
    MASK,
    ScrubbingFilter,
    hide_credentials_in_library_logs,
    scrub,
    scrub_url,
)

KEY = "ck_probe_key_1234"
REAL_KEY = "ck_" + "0123456789abcdef" * 2 + "01234567"


@pytest.mark.parametrize(
    "text",
    [
        # requests' ConnectionError: the request target with the OAuth query.
        (
            "Max retries exceeded with url: /wp-json/wc/v3/orders/1?include=1,2"
            f"&oauth_consumer_key={KEY}&oauth_signature=a%2Bb%3D (Caused by ...)"
        ),
        # A whole URL, with the keys as WooCommerce's query-string form.
        f"http://shop.test/wp-json/wc/v3/orders?consumer_key={KEY}&consumer_secret=s1",
        # oauthlib at DEBUG: a tuple list, a normalised query, a signature base string.
        f"Collected params: [('oauth_nonce', '1'), ('oauth_consumer_key', '{KEY}')]",
        f"Normalized params: oauth_consumer_key={KEY}&oauth_nonce=1",
        f"GET&http%3A%2F%2Fshop%2Fx&oauth_consumer_key%3D{KEY}%26oauth_nonce%3D1",
        # requests-oauthlib at DEBUG: the client's repr, the OAuth header.
        f"using client <Client client_key={KEY}, client_secret=****>",
        f"Updated headers: {{'Authorization': 'OAuth oauth_consumer_key=\"{KEY}\"'}}",
        # A proxy page echoing the request's headers; a JSON body.
        f"Authorization: Basic {KEY}Zm9vOmJhcg==\nHost: shop.test",
        f'{{"access_token": "{KEY}", "expires_in": 10}}',
        # A real WooCommerce key on its own.
        f"the key {REAL_KEY} is not valid",
    ],
)
def test_the_credential_is_gone(text: str) -> None:
    cleaned = scrub(text)
    assert KEY not in cleaned and REAL_KEY not in cleaned
    assert cleaned != text


def test_a_url_keeps_its_path_and_harmless_parameters() -> None:
    url = (
        f"http://user:pass@shop.test/wp-json/wc/v3/orders?status=processing"
        f"&oauth_consumer_key={KEY}&include=1,2&oauth_signature=x%3D#top"
    )
    assert (
        scrub_url(url)
        == "http://shop.test/wp-json/wc/v3/orders?status=processing&include=1,2"
    )
    assert scrub(f"(url: {url})") == (
        "(url: http://shop.test/wp-json/wc/v3/orders?status=processing&include=1,2)"
    )


@pytest.mark.parametrize(
    "text",
    [
        "WooCommerce 401 woocommerce_rest_cannot_view: Sorry, you cannot list resources.",
        "Basic authentication failed; check TILLSYNC_WC_KEY and TILLSYNC_WC_SECRET",
        "no OAuth refresh token is stored; set TILLSYNC_POS_REFRESH_TOKEN",
        "GET /wp-json/wc/v3/orders?status=any&per_page=100 HTTP/1.1",
        "",
    ],
)
def test_text_without_credentials_is_unchanged(text: str) -> None:
    assert scrub(text) == text


def test_library_debug_lines_are_scrubbed_before_any_handler(
    caplog: pytest.LogCaptureFixture,
) -> None:
    hide_credentials_in_library_logs()
    hide_credentials_in_library_logs()  # twice: still one filter per logger
    caplog.set_level(logging.DEBUG)
    for name in LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        assert sum(isinstance(f, ScrubbingFilter) for f in logger.filters) == 1
        logger.debug('"GET /x?oauth_consumer_key=%s&page=2 HTTP/1.1" 200', KEY)
    assert KEY not in caplog.text
    assert caplog.text.count("/x?page=2") == len(LIBRARY_LOGGERS)
    assert MASK not in caplog.text  # cut from the URL, not masked
