"""``synchub web`` (serve the console) and ``synchub users add|passwd|disable|enable|list``.

synchub web [--host 127.0.0.1] [--port 8710]            # the console at http://HOST:PORT/console/
synchub users add zhang --role admin [--role auditor] [--display-name 张伟] [--password-stdin]
synchub users passwd zhang [--password-stdin]
synchub users disable zhang                             # logged out at once; enable to undo
synchub users list
synchub api-tokens add crm --role routing_write [--role routing_read]   # prints the token once
synchub api-tokens list | revoke ID

Users live in SYNCHUB_WEB_USERS_FILE (default ./var/web_users.toml), passwords as argon2id hashes;
the console needs SYNCHUB_WEB_SECRET (32+ random characters) to sign its sessions. API client tokens
live in SYNCHUB_API_TOKENS_FILE (default ./var/api_tokens.toml), as SHA-256 digests.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from core.errors import InputError
from hub.cli.common import console, friendly_errors, open_engine
from hub.cli.logs import LogLevel, default_level
from hub.cli.output import JSON_OPTION, print_json

if TYPE_CHECKING:
    from hub.api.auth import TokenStore
    from hub.web.users import UserStore

__all__ = ["tokens_app", "users_app", "web_command"]

users_app = typer.Typer(help="Web console users (SYNCHUB_WEB_USERS_FILE).", no_args_is_help=True)
tokens_app = typer.Typer(help="API client tokens (SYNCHUB_API_TOKENS_FILE).", no_args_is_help=True)
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
def list_users(as_json: Annotated[bool, JSON_OPTION] = False) -> None:
    """Users, their roles and whether they are disabled (never the hashes)."""
    store = _store()
    if as_json:
        print_json([
            {"name": u.name, "display_name": u.display_name, "roles": sorted(u.roles), "disabled": u.disabled}
            for u in store.all()
        ])  # fmt: skip
        return
    table = Table("name", "display name", "roles", "disabled")
    for user in store.all():
        roles = ", ".join(sorted(user.roles))
        table.add_row(user.name, user.display_name, roles, "yes" if user.disabled else "")
    console.print(table)


def _tokens() -> TokenStore:
    from hub.api.auth import TokenStore
    from hub.api.settings import ApiSettings

    return TokenStore(ApiSettings().tokens_file)


@tokens_app.command("add")
@friendly_errors
def add_token(
    name: Annotated[str, typer.Argument(help="The client, as the ledger will name it (api:NAME).")],
    role: Annotated[
        list[str], typer.Option("--role", help="routing_write | routing_read | monitor (repeat).")
    ],
) -> None:
    """Mint a token for an API client; it is printed once, only its digest is kept."""
    store = _tokens()
    entry, token = store.add(name, role)
    console.print(f"token {entry.key_id} for {entry.name} ({', '.join(sorted(entry.roles))}) in {store.path}")
    console.print("send it as 'Authorization: Bearer <token>'; it is not shown again:")
    print(token)  # plain stdout, one line, for scripts


@tokens_app.command("list")
@friendly_errors
def list_tokens(as_json: Annotated[bool, JSON_OPTION] = False) -> None:
    """Tokens by client: id, roles, creation time, revoked (never the tokens)."""
    if as_json:
        print_json([
            {"id": t.key_id, "client": t.name, "roles": sorted(t.roles), "created_at": t.created_at,
             "revoked": bool(t.revoked)}
            for t in _tokens().all()
        ])  # fmt: skip
        return
    table = Table("id", "client", "roles", "created", "revoked")
    for t in _tokens().all():
        table.add_row(t.key_id, t.name, ", ".join(sorted(t.roles)), t.created_at, "yes" if t.revoked else "")
    console.print(table)


@tokens_app.command("revoke")
@friendly_errors
def revoke_token(key_id: Annotated[str, typer.Argument(help="The token's id (see list).")]) -> None:
    """Refuse this token from the next request on."""
    entry = _tokens().revoke(key_id)
    console.print(f"token {entry.key_id} of {entry.name} revoked")


@friendly_errors
def web_command(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8710,
) -> None:
    """Serve the web console at http://HOST:PORT/console/ (needs SYNCHUB_WEB_SECRET and users)."""
    import uvicorn

    from hub.web import WebSettings, create_console_server

    app = create_console_server(open_engine())
    console.print(f"SyncHub console on http://{host}:{port}/console/")
    # uvicorn's access log would print query strings; the console logs each request itself
    # (synchub.web.access: method, path, status, time, request id), masked and without the query.
    # X-Forwarded-* count only from SYNCHUB_WEB_TRUSTED_PROXIES, in uvicorn as in the console.
    default_level(LogLevel.INFO)  # through the app's handler (stderr, masked; --log-format json too)
    proxies = ",".join(WebSettings().trusted_proxies)
    uvicorn.run(
        app, host=host, port=port, log_level="info", access_log=False,
        proxy_headers=bool(proxies), forwarded_allow_ips=proxies or None,
    )  # fmt: skip
