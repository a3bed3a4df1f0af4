"""``synchub sandbox …`` commands; the hub registers ``sandbox_app`` under the name ``sandbox``."""

from __future__ import annotations

import typer

__all__ = ["sandbox_app"]

sandbox_app = typer.Typer(
    help="Simulators of every outside system: Ocean Engine, Tencent Ads, Baidu, Amap, Kingdee, Yonyou U8 "
    "and YonBIP, DingTalk, WeCom, Alibaba Cloud SMS.",
    no_args_is_help=True,
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


@sandbox_app.command("env")
def env_command(
    url: str = typer.Option("http://127.0.0.1:8765", help="Where `synchub sandbox serve` listens."),
    yonyou_edition: str = typer.Option("u8", help="Yonyou edition to simulate: u8 or bip."),
) -> None:
    """Print the `export SYNCHUB_...` lines that point every connector at the sandbox.

    Use: eval "$(synchub sandbox env)"; then synchub serve runs every scheduled flow against it."""
    from connectors.sandbox.env import export_lines, sandbox_env

    for line in export_lines(sandbox_env(url.rstrip("/"), yonyou_edition=yonyou_edition)):
        typer.echo(line)
