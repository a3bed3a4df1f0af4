"""``synchub web`` (serve the console) and ``synchub users add|passwd|disable|enable|list``.

synchub web [--host 127.0.0.1] [--port 8710]            # the console at http://HOST:PORT/console/
synchub users add zhang --role admin [--role auditor] [--display-name 张伟] [--password-stdin]
synchub users passwd zhang [--password-stdin]
synchub users disable zhang                             # logged out at once; enable to undo
synchub users list

Users live in SYNCHUB_WEB_USERS_FILE (default ./var/web_users.toml), passwords as salted scrypt hashes;
the console needs SYNCHUB_WEB_SECRET (32+ random characters) to sign its sessions.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from core.errors import InputError
from hub.cli.common import console, friendly_errors

if TYPE_CHECKING:
    from hub.web.users import UserStore

__all__ = ["users_app", "web_command"]

users_app = typer.Typer(help="Web console users (SYNCHUB_WEB_USERS_FILE).", no_args_is_help=True)
_STDIN = typer.Option("--password-stdin", help="Read the password from the first line of stdin.")


def _store() -> UserStore:
    from hub.web.settings import WebSettings
    from hub.web.users import UserStore

    return UserStore(WebSettings().users_file)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise InputError("no password on stdin")
        return line
    return str(typer.prompt("password", hide_input=True, confirmation_prompt=True))


@users_app.command("add")
@friendly_errors
def add_user(
    name: Annotated[str, typer.Argument(help="Login name: a-z, 0-9, '.', '_', '-'.")],
    role: Annotated[
        list[str], typer.Option("--role", help="admin | auditor | finance | ops | sales_manager (repeat).")
    ],
    display_name: Annotated[str, typer.Option(help="Name shown in the console, e.g. 张伟.")] = "",
    password_stdin: Annotated[bool, _STDIN] = False,
) -> None:
    """Add a console user with one or more roles."""
    store = _store()
    user = store.add(name, role, _password(password_stdin), display_name)
    console.print(f"user {user.name} added ({', '.join(sorted(user.roles))}) to {store.path}")


@users_app.command("passwd")
@friendly_errors
def set_password(
    name: Annotated[str, typer.Argument(help="Login name.")],
    password_stdin: Annotated[bool, _STDIN] = False,
) -> None:
    """Set a new password; the user's open sessions end."""
    store = _store()
    store.update(name, password=_password(password_stdin))
    console.print(f"password of {name} changed")


@users_app.command("disable")
@friendly_errors
def disable_user(name: Annotated[str, typer.Argument(help="Login name.")]) -> None:
    """Refuse this user's logins and end their sessions."""
    store = _store()
    store.update(name, disabled=True)
    console.print(f"user {name} disabled")


@users_app.command("enable")
@friendly_errors
def enable_user(name: Annotated[str, typer.Argument(help="Login name.")]) -> None:
    """Let a disabled user log in again."""
    store = _store()
    store.update(name, disabled=False)
    console.print(f"user {name} enabled")


@users_app.command("list")
@friendly_errors
def list_users() -> None:
    """Users, their roles and whether they are disabled (never the hashes)."""
    store = _store()
    table = Table("name", "display name", "roles", "disabled")
    for user in store.all():
        roles = ", ".join(sorted(user.roles))
        table.add_row(user.name, user.display_name, roles, "yes" if user.disabled else "")
    console.print(table)


@friendly_errors
def web_command(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8710,
) -> None:
    """Serve the web console at http://HOST:PORT/console/ (needs SYNCHUB_WEB_SECRET and users)."""
    import uvicorn

    from hub.web import create_console_server
    from store.engine import make_engine

    app = create_console_server(make_engine())
    console.print(f"SyncHub console on http://{host}:{port}/console/")
    # uvicorn's access log would print query strings; the console logs each request itself
    # (synchub.web.access: method, path, status, time, request id), masked and without the query
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=True, access_log=False)
