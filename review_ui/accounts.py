"""Curator accounts: names, roles and password hashes in `curators.json` beside the databases.

The hashes are datasette-auth-passwords' own PBKDF2 format, so its login form checks them; keeping accounts
in a
file of their own (mode 0600) keeps secrets out of the databases that Datasette serves.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from datasette_auth_passwords.utils import hash_password

import db

ROLES = ("curator", "publisher")
FILE_NAME = "curators.json"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,39}$")


class AccountError(ValueError):
    """A name, role or password that cannot make an account; nothing is written."""


def accounts_path(data_dir: str | os.PathLike[str] | None) -> Path:
    return db.data_dir(data_dir) / FILE_NAME


def load(data_dir: str | os.PathLike[str] | None) -> dict[str, dict[str, Any]]:
    path = accounts_path(data_dir)
    if not path.exists():
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8")))


def add(data_dir: str | os.PathLike[str] | None, name: str, password: str, role: str = "curator") -> bool:
    """Create the account, or replace its password and role; returns True when it is new."""
    if not _NAME.match(name):
        raise AccountError(
            f"{name!r} is not a valid name: use 1-40 lower-case letters, digits, '.', '_' or '-'"
        )
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < 8:
        raise AccountError("the password must have at least 8 characters")
    accounts = load(data_dir)
    created = name not in accounts
    accounts[name] = {"role": role, "password_hash": hash_password(password)}
    path = accounts_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".partial")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(accounts, handle, indent=2, sort_keys=True)
    tmp.replace(path)
    return created


def plugin_config(data_dir: str | os.PathLike[str] | None) -> dict[str, Any]:
    """The `datasette-auth-passwords` configuration for these accounts: hashes and actors with their roles."""
    config: dict[str, Any] = {"actors": {}}
    for name, account in load(data_dir).items():
        config[f"{name}_password_hash"] = account["password_hash"]
        config["actors"][name] = {"id": name, "role": account["role"]}
    return config
