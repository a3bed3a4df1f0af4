"""``synchub contract receivables``: the console's receivables page in a terminal, from the same data
(``hub.web.data.receivables``), so its days overdue are the console's and the alerts'
(``services.finance.overdue``). The hub registers it on ``contract_app``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from hub.cli.common import console, friendly_errors, open_engine
from hub.cli.output import JSON_OPTION, print_json
from mapping.timestamps import china_today

__all__ = ["receivables_command"]


@friendly_errors
def receivables_command(
    today: Annotated[
        datetime | None,
        typer.Option(
            formats=["%Y-%m-%d"], help="Count days overdue on this date (default: today in Beijing)."
        ),
    ] = None,
    overdue_only: Annotated[
        bool, typer.Option("--overdue-only", help="Only contracts with overdue installments.")
    ] = False,
    search: Annotated[
        str | None,
        typer.Option(
            "--find",
            "--search",
            metavar="TEXT",
            help="Contracts of what you know: a contract number (or part of it), a company name (fuzzy: "
            "trade name or typo), a phone in any format.",
        ),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=500, help="At most this many contracts.")] = 50,
    as_json: Annotated[bool, JSON_OPTION] = False,  # the console API's shape
) -> None:
    """Contracts and their installments: due date, status, paid, and days overdue (Beijing calendar days
    after the due date, as in the console and the alerts)."""
    from hub.web.data.receivables import ReceivablesQuery, receivables

    day = today.date() if today else china_today()
    query = ReceivablesQuery(q=search or None, overdue_only=overdue_only, limit=limit)
    page = receivables(open_engine(), query, today=day)
    if as_json:
        print_json(page)
        return
    if search:
        from hub.cli.search import matches_table

        console.print(matches_table(search, page.matches))
    table = Table(
        title=f"receivables on {day.isoformat()}, {page.total} contract(s)",
        caption="overdue: Beijing calendar days after the due date",
    )
    table.add_column("contract (customer) / installment", min_width=16)
    for column in ("amount", "due", "status", "paid", "overdue"):
        table.add_column(column, justify="left" if column in ("due", "status") else "right", no_wrap=True)
    for c in page.contracts:
        table.add_row(Text(f"{c.number} ({c.customer_name})", style="bold"), f"{c.amount:,.2f}", "", c.status,
                      "", str(c.max_days_overdue or ""))  # fmt: skip
        for i in c.installments:
            table.add_row(
                Text(f"  {i.business_key}"), f"{i.amount:,.2f}", i.due_date.isoformat(), i.status,
                f"{i.paid_amount:,.2f}", str(i.days_overdue or ""),
            )  # fmt: skip
    console.print(table)
