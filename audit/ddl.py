"""Database-level protection of the ledger: UPDATE and DELETE on the append-only tables are refused by
triggers, so neither a bug nor a careless admin can edit history through SQL. (An attacker who can drop
triggers can still edit; that is what the hash chain and the signed checkpoints catch.)"""

from __future__ import annotations

from sqlalchemy.engine import Connection

APPEND_ONLY_TABLES = ("audit_log", "audit_checkpoints")
GENESIS_HASH = "0" * 64

# "%%" because psycopg treats "%" as a placeholder marker even without parameters.
_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION synchub_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'synchub: %% is append-only; %% refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;
"""


def install(conn: Connection) -> None:
    """Create the append-only triggers and the chain's head row (idempotent)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(_PG_FUNCTION)
        for table in APPEND_ONLY_TABLES:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            conn.exec_driver_sql(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION synchub_append_only()"
            )
    elif conn.dialect.name == "sqlite":
        for table in APPEND_ONLY_TABLES:
            for op in ("UPDATE", "DELETE"):
                name = f"{table}_no_{op.lower()}"
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
                conn.exec_driver_sql(
                    f"CREATE TRIGGER {name} BEFORE {op} ON {table} BEGIN "
                    f"SELECT RAISE(ABORT, 'synchub: {table} is append-only; {op} refused'); END"
                )
    else:
        raise NotImplementedError(f"no append-only triggers for dialect {conn.dialect.name}")
    exists = conn.exec_driver_sql("SELECT count(*) FROM audit_head WHERE id = 1").scalar_one()
    if not exists:
        conn.exec_driver_sql(
            f"INSERT INTO audit_head (id, last_seq, last_hash) VALUES (1, 0, '{GENESIS_HASH}')"
        )


def uninstall(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        for table in APPEND_ONLY_TABLES:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        conn.exec_driver_sql("DROP FUNCTION IF EXISTS synchub_append_only()")
    else:
        for table in APPEND_ONLY_TABLES:
            for op in ("update", "delete"):
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_no_{op}")
