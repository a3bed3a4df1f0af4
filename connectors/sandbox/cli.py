"""``synchub sandbox …`` commands; the hub registers ``sandbox_app`` under the name ``sandbox``."""

from __future__ import annotations

import typer

__all__ = ["sandbox_app"]

sandbox_app = typer.Typer(
    help="Vendor API simulators (Ocean Engine, Tencent Ads, Baidu).", no_args_is_help=True
)


@sandbox_app.command("serve")
def serve_command(
    host: str = typer.Option(
        "127.0.0.1", help="Loopback address to listen on (127.0.0.1, localhost or ::1)."
    ),
    port: int = typer.Option(8765, help="TCP port."),
    seed: int = typer.Option(42, help="Seed of the generated leads; the same seed gives the same leads."),
) -> None:
    """Serve every vendor simulator on one port until interrupted."""
    from connectors.sandbox.server import serve

    serve(host=host, port=port, seed=seed)
