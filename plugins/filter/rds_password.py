# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: rds_password
short_description: Generate an RDS-safe master password with the C(secrets) module
version_added: 0.2.0
author: Payments Platform Team (@payments-platform)
description:
  - Returns a new random password that RDS and Aurora accept as a master password (F13 of the failure catalogue).
    8 to 41 printable ASCII characters, never C(/), C("), C(@) or a space.
  - Every character is drawn with Python's C(secrets.choice) (a CSPRNG), never C(random).
  - The result always holds at least one lower-case letter, one upper-case letter, one digit and one punctuation
    character; the positions of those are shuffled with C(secrets) too.
  - The input is ignored (use C(omit) or any value); each call returns a new password, so generate it only when
    the secret that will store it does not exist yet, and never print it (C(no_log)).
options:
  _input:
    description: Ignored. Anything, e.g. C(none) or the secret name.
    type: raw
    required: true
  length:
    description: Number of characters, 8 to 41 (the RDS limits); anything else is refused.
    type: int
    default: 32
"""

EXAMPLES = r"""
- name: Generate a master password (only when the secret does not exist yet)
  ansible.builtin.set_fact:
    security__db_password: "{{ none | payments.aws_platform.rds_password(length=32) }}"
  no_log: true
"""

RETURN = r"""
_value:
  description: The password, C(length) characters long.
  type: str
"""

import secrets
import string

from ansible.errors import AnsibleFilterError

FORBIDDEN = frozenset('/"@ ')
LOWER = string.ascii_lowercase
UPPER = string.ascii_uppercase
DIGITS = string.digits
PUNCTUATION = "".join(c for c in string.punctuation if c not in FORBIDDEN)
ALPHABET = LOWER + UPPER + DIGITS + PUNCTUATION
MIN_LENGTH = 8
MAX_LENGTH = 41


def rds_password(_input=None, length=32):
    """Return a password of ``length`` characters that RDS accepts, drawn with ``secrets``."""
    try:
        size = int(length)
        if isinstance(length, bool) or str(size) != str(length).strip():
            raise ValueError
    except (TypeError, ValueError):
        raise AnsibleFilterError(f"rds_password: length {length!r} is not an integer; RDS master passwords are {MIN_LENGTH}-{MAX_LENGTH} characters") from None
    if not MIN_LENGTH <= size <= MAX_LENGTH:
        raise AnsibleFilterError(f"rds_password: length {length!r} is outside {MIN_LENGTH}-{MAX_LENGTH}, the RDS master password limits")
    chars = [secrets.choice(pool) for pool in (LOWER, UPPER, DIGITS, PUNCTUATION)]
    chars += [secrets.choice(ALPHABET) for dummy in range(size - len(chars))]
    # Fisher-Yates with the CSPRNG, so the guaranteed classes sit at random positions.
    for i in range(len(chars) - 1, 0, -1):
        j = secrets.randbelow(i + 1)
        chars[i], chars[j] = chars[j], chars[i]
    return "".join(chars)


class FilterModule:
    """Secret generation filters."""

    def filters(self):
        return {"rds_password": rds_password}
