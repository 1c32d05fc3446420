"""Signing in: password guessing is throttled per user name and per address."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

LIMIT = 5  # settings.AXES_FAILURE_LIMIT


@pytest.fixture
def alice(db):
    return get_user_model().objects.create_user("alice", password="pw-alice-correct-2026")


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_the_right_password_signs_in(client, alice):
    response = sign_in(client, "alice", "pw-alice-correct-2026")
    assert response.status_code == 302
    assert client.get(reverse("annotations:team-list")).status_code == 200


def test_after_five_wrong_passwords_even_the_right_one_is_refused_with_a_reason(client, alice):
    for _ in range(LIMIT - 1):
        response = sign_in(client, "alice", "guess")
        assert response.status_code == 200  # the form again, with its error
    assert sign_in(client, "alice", "guess").status_code == 429  # the fifth
    response = sign_in(client, "alice", "pw-alice-correct-2026")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many wrong passwords for “alice”" in html
    assert "_auth_user_id" not in client.session


def test_guessing_from_many_addresses_still_locks_the_user_name(client, alice):
    for number in range(LIMIT):
        sign_in(client, "alice", "guess", address=f"10.0.1.{number}")
    assert sign_in(client, "alice", "pw-alice-correct-2026", address="10.0.2.1").status_code == 429


def test_guessing_many_user_names_from_one_address_locks_the_address(client, alice):
    for number in range(LIMIT):
        sign_in(client, f"someone{number}", "guess", address="10.0.3.3")
    assert sign_in(client, "alice", "pw-alice-correct-2026", address="10.0.3.3").status_code == 429
    # Others elsewhere are not affected.
    assert sign_in(client, "alice", "pw-alice-correct-2026", address="10.0.4.4").status_code == 302


def test_a_successful_sign_in_forgets_the_earlier_mistakes(client, alice):
    for _ in range(LIMIT - 1):
        sign_in(client, "alice", "guess")
    assert sign_in(client, "alice", "pw-alice-correct-2026").status_code == 302
    client.logout()
    for _ in range(LIMIT - 1):
        sign_in(client, "alice", "guess")
    assert sign_in(client, "alice", "pw-alice-correct-2026").status_code == 302


def test_the_admin_sign_in_is_throttled_too(client, db):
    get_user_model().objects.create_superuser("root", "root@example.org", "pw-root-correct-2026")
    for _ in range(LIMIT):
        client.post(
            reverse("admin:login"),
            {"username": "root", "password": "guess"},
            REMOTE_ADDR="10.0.5.5",
        )
    response = client.post(
        reverse("admin:login"),
        {"username": "root", "password": "pw-root-correct-2026"},
        REMOTE_ADDR="10.0.5.5",
    )
    assert response.status_code == 429


@pytest.mark.parametrize("url", ["login", "admin:login"])
def test_an_overlong_user_name_is_a_wrong_one_not_a_server_error(client, alice, url):
    for username, status in (("a" * 100_000, 200), ("a" * 151, 200), ("alice\x00", 400)):
        response = client.post(reverse(url), {"username": username, "password": "guess"})
        assert response.status_code == status, username[:20]
        assert "_auth_user_id" not in client.session
