# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""F13: generated master passwords follow the RDS rules and come from a CSPRNG."""

from __future__ import annotations

import string

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.payments.aws_platform.plugins.filter import rds_password as plugin

rds_password = plugin.FilterModule().filters()["rds_password"]
DRAWS = 2000


def test_f13_default_length_is_32():
    assert len(rds_password(None)) == 32


@pytest.mark.parametrize("length", [8, 9, 20, 32, 40, 41])
def test_f13_lengths_within_rds_limits_are_honoured(length):
    assert len(rds_password(None, length=length)) == length


@pytest.mark.parametrize("length", [0, 7, 42, 64, -1, "abc", "8.5", None, True])
def test_f13_length_outside_8_to_41_refused_naming_the_value(length):
    with pytest.raises(AnsibleFilterError, match=f"length {length!r}"):
        rds_password(None, length=length)


def test_f13_numeric_string_length_accepted():
    assert len(rds_password(None, length="12")) == 12


def test_f13_forbidden_characters_never_appear():
    seen = set()
    for dummy in range(DRAWS):
        seen.update(rds_password(None, length=8))
    assert not seen & set('/"@ '), seen & set('/"@ ')
    assert seen <= set(string.printable) - set(string.whitespace)


def test_f13_every_password_has_lower_upper_digit_and_punctuation():
    for dummy in range(DRAWS):
        value = rds_password(None, length=8)
        assert any(c in string.ascii_lowercase for c in value), value
        assert any(c in string.ascii_uppercase for c in value), value
        assert any(c in string.digits for c in value), value
        assert any(c in plugin.PUNCTUATION for c in value), value


def test_f13_alphabet_is_not_restricted_to_alphanumerics():
    seen = set()
    for dummy in range(DRAWS):
        seen.update(rds_password(None, length=41))
    assert set(plugin.PUNCTUATION) <= seen
    assert len(seen) == len(plugin.ALPHABET)


def test_f13_passwords_differ():
    assert len({rds_password(None) for dummy in range(200)}) == 200


def test_f13_draws_come_from_secrets_not_random(monkeypatch):
    calls = []
    real_choice = plugin.secrets.choice

    def spy(pool):
        calls.append(pool)
        return real_choice(pool)

    monkeypatch.setattr(plugin.secrets, "choice", spy)
    rds_password(None, length=16)
    assert len(calls) == 16
    assert not hasattr(plugin, "random")
