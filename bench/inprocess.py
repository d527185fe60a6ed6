"""Pages timed in-process through Django's test client, as the bench's
instrument figures (the panel sheet, a consultation's analysis) measure
them: one client signed in as the page's reader, one warm-up request, then
`requests` timed GETs, each required to answer 200."""

import time

from django.test import Client


def signed_in_client(user):
    # The bench's server settings allow 127.0.0.1 only, behind TLS.
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    client.force_login(user)
    return client


def timed_gets(client, url, requests, what):
    """Milliseconds of each of `requests` GETs of `url` (after the warm-up
    GET the caller made); RuntimeError naming `what` on any other status."""
    took = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        took.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{what} answered {response.status_code}")
    return took


def quantile(values, q):
    """The value at quantile `q` (0–1) of `values`, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]
