"""The spam checks of public comments, one by one."""

from __future__ import annotations

import time

from django.test import RequestFactory

from kotoverkko.planning import consultation_spam as spam


def test_form_token__fresh__too_fast():
    token = spam.form_token(7)
    assert spam.token_problem(token, 7) == "too_fast"


def test_form_token__after_minimum_fill_time__accepted():
    token = spam.form_token(7, now=time.time() - spam.MIN_FILL_SECONDS - 1)
    assert spam.token_problem(token, 7) == ""


def test_form_token__older_than_max_age__expired():
    token = spam.form_token(7, now=time.time() - spam.MAX_FORM_AGE_SECONDS - 5)
    assert spam.token_problem(token, 7) == "expired"


def test_form_token__other_consultation__invalid():
    token = spam.form_token(7, now=time.time() - 60)
    assert spam.token_problem(token, 8) == "invalid"


def test_form_token__tampered__invalid():
    token = spam.form_token(7, now=time.time() - 60)
    assert spam.token_problem(token[:-2] + "xx", 7) == "invalid"
    assert spam.token_problem("", 7) == "invalid"


def test_link_count__counts_urls_and_www():
    assert spam.link_count("see https://a.fi and www.b.fi and http://c.fi") == 3
    assert spam.link_count("no links here") == 0


def test_rate_limit__counts_per_client_address_and_consultation():
    factory = RequestFactory()
    first = factory.post("/", REMOTE_ADDR="192.0.2.1")
    second = factory.post("/", REMOTE_ADDR="192.0.2.2")
    for _ in range(spam.COMMENTS_PER_HOUR):
        assert not spam.rate_limit_reached(first, 1)
        spam.count_comment(first, 1)
    assert spam.rate_limit_reached(first, 1)
    assert not spam.rate_limit_reached(second, 1)
    assert not spam.rate_limit_reached(first, 2)


def test_client_key__does_not_contain_the_address():
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.55")
    assert "192.0.2.55" not in spam.client_key(request, 1)
