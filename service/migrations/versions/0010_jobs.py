"""jobs: procrastinate's tables, job outcomes, the archive's 四性 check history, staged builds

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26

PostgreSQL gets procrastinate's own schema (``procrastinate/sql/schema.sql`` of the pinned
3.10 release: tables, PL/pgSQL functions, triggers); SQLite gets the same tables and triggers
for ``service.jobs.sqlite.SQLiteConnector``. Upgrading procrastinate past 3.10 needs a
migration that applies its ``sql/migrations`` files. Batch items still pending under the
retired batch workers become jobs here, so none is lost by the upgrade.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import service.db

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

NOW = "(strftime('%Y-%m-%d %H:%M:%f', 'now') || '000')"
STATUSES = "'todo', 'doing', 'succeeded', 'failed', 'cancelled', 'aborting', 'aborted'"
SQLITE_SCHEMA = [
    "CREATE TABLE procrastinate_workers (id INTEGER PRIMARY KEY AUTOINCREMENT, "
    "last_heartbeat TEXT NOT NULL)",
    f"""CREATE TABLE procrastinate_jobs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        queue_name VARCHAR(128) NOT NULL,
        task_name VARCHAR(128) NOT NULL,
        priority INTEGER NOT NULL DEFAULT 0,
        lock TEXT,
        queueing_lock TEXT,
        args TEXT NOT NULL DEFAULT '{{}}',
        status VARCHAR(16) NOT NULL DEFAULT 'todo' CHECK (status IN ({STATUSES})),
        scheduled_at TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        abort_requested INTEGER NOT NULL DEFAULT 0,
        worker_id INTEGER,
        CONSTRAINT check_not_todo_abort_requested
            CHECK (NOT (status = 'todo' AND abort_requested = 1)))""",
    """CREATE TABLE procrastinate_periodic_defers (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        task_name VARCHAR(128) NOT NULL,
        defer_timestamp INTEGER,
        job_id INTEGER,
        periodic_id VARCHAR(128) NOT NULL DEFAULT '',
        CONSTRAINT procrastinate_periodic_defers_unique
            UNIQUE (task_name, periodic_id, defer_timestamp))""",
    """CREATE TABLE procrastinate_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        job_id INTEGER NOT NULL REFERENCES procrastinate_jobs (id) ON DELETE CASCADE,
        type VARCHAR(32),
        at TEXT)""",
    "CREATE UNIQUE INDEX procrastinate_jobs_queueing_lock_idx_v1 "
    "ON procrastinate_jobs (queueing_lock) WHERE status = 'todo'",
    "CREATE UNIQUE INDEX procrastinate_jobs_lock_idx_v1 "
    "ON procrastinate_jobs (lock) WHERE status = 'doing'",
    "CREATE INDEX procrastinate_jobs_priority_idx_v1 "
    "ON procrastinate_jobs (priority DESC, id) WHERE status = 'todo'",
    "CREATE INDEX procrastinate_jobs_worker_idx ON procrastinate_jobs (worker_id) "
    "WHERE status = 'doing'",
    "CREATE INDEX procrastinate_events_job_id_fkey_v1 ON procrastinate_events (job_id)",
    f"""CREATE TRIGGER procrastinate_trigger_status_events_insert_v1
        AFTER INSERT ON procrastinate_jobs FOR EACH ROW WHEN NEW.status = 'todo'
        BEGIN INSERT INTO procrastinate_events (job_id, type, at)
              VALUES (NEW.id, 'deferred', {NOW}); END""",
    f"""CREATE TRIGGER procrastinate_trigger_status_events_update_v1
        AFTER UPDATE OF status ON procrastinate_jobs FOR EACH ROW
        BEGIN INSERT INTO procrastinate_events (job_id, type, at)
              SELECT NEW.id, t.type, {NOW} FROM (SELECT CASE
                WHEN OLD.status = 'todo' AND NEW.status = 'doing' THEN 'started'
                WHEN OLD.status = 'doing' AND NEW.status = 'todo' THEN 'deferred_for_retry'
                WHEN OLD.status = 'doing' AND NEW.status = 'failed' THEN 'failed'
                WHEN OLD.status = 'doing' AND NEW.status = 'succeeded' THEN 'succeeded'
                WHEN OLD.status = 'todo'
                     AND NEW.status IN ('cancelled', 'failed', 'succeeded') THEN 'cancelled'
                WHEN OLD.status = 'doing' AND NEW.status = 'aborted' THEN 'aborted'
                WHEN OLD.status = 'failed' AND NEW.status = 'todo' THEN 'retried'
              END AS type) AS t WHERE t.type IS NOT NULL; END""",
    """CREATE TRIGGER procrastinate_trigger_scheduled_events_insert
        AFTER INSERT ON procrastinate_jobs FOR EACH ROW
        WHEN NEW.scheduled_at IS NOT NULL AND NEW.status = 'todo'
        BEGIN INSERT INTO procrastinate_events (job_id, type, at)
              VALUES (NEW.id, 'scheduled', NEW.scheduled_at); END""",
    """CREATE TRIGGER procrastinate_trigger_scheduled_events_update
        AFTER UPDATE ON procrastinate_jobs FOR EACH ROW
        WHEN NEW.scheduled_at IS NOT NULL AND NEW.status = 'todo'
        BEGIN INSERT INTO procrastinate_events (job_id, type, at)
              VALUES (NEW.id, 'scheduled', NEW.scheduled_at); END""",
    f"""CREATE TRIGGER procrastinate_trigger_abort_requested_events_v1
        AFTER UPDATE OF abort_requested ON procrastinate_jobs FOR EACH ROW
        WHEN NEW.abort_requested = 1
        BEGIN INSERT INTO procrastinate_events (job_id, type, at)
              VALUES (NEW.id, 'abort_requested', {NOW}); END""",
    """CREATE TRIGGER procrastinate_trigger_delete_jobs_v1
        BEFORE DELETE ON procrastinate_jobs FOR EACH ROW
        BEGIN UPDATE procrastinate_periodic_defers SET job_id = NULL WHERE job_id = OLD.id; END""",
]
SQLITE_TABLES = ["procrastinate_events", "procrastinate_periodic_defers", "procrastinate_jobs"]

PG_DROP = """
DROP TABLE IF EXISTS procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs,
    procrastinate_workers CASCADE;
DO $$
DECLARE f record;
BEGIN
    FOR f IN SELECT p.oid::regprocedure AS sig FROM pg_proc p
             JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE p.proname LIKE 'procrastinate%' AND n.nspname = current_schema()
    LOOP
        EXECUTE 'DROP FUNCTION ' || f.sig || ' CASCADE';
    END LOOP;
END;
$$;
DROP TYPE IF EXISTS procrastinate_job_to_defer_v1, procrastinate_job_event_type,
    procrastinate_job_status CASCADE;
"""


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        from procrastinate.schema import SchemaManager

        # the driver's own connection: the schema holds '%' and '::' that SQLAlchemy and
        # bind-parameter parsing would misread; it runs inside the migration's transaction
        bind.connection.driver_connection.execute(SchemaManager.get_schema())  # type: ignore[union-attr]
    else:
        for statement in SQLITE_SCHEMA:
            bind.exec_driver_sql(statement)
    _pending_batch_items_become_jobs(bind.dialect.name)

    op.create_table(
        "job_outcomes",
        sa.Column("job_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("task_name", sa.String(length=128), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.JSON(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("updated_at", service.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("job_id", name=op.f("pk_job_outcomes")),
    )
    op.create_table(
        "archive_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("archive_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("checked_at", service.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("version_id", sa.String(length=128), nullable=True),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["archive_id"], ["archives.id"], name=op.f("fk_archive_checks_archive_id_archives")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_checks")),
    )
    op.create_index(
        "ix_archive_checks_archive_id_checked_at",
        "archive_checks",
        ["archive_id", "checked_at"],
        unique=False,
    )
    with op.batch_alter_table("archive_numbers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("staged", sa.JSON(), nullable=True))
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pdf_job_id", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("batch_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("job_id", sa.BigInteger(), nullable=True))
        batch_op.drop_column("claimed_at")


def _pending_batch_items_become_jobs(dialect: str) -> None:
    args = (
        "jsonb_build_object('item_id', id)"
        if dialect == "postgresql"
        else "json_object('item_id', id)"
    )
    op.execute(
        "INSERT INTO procrastinate_jobs (queue_name, task_name, priority, args) "
        f"SELECT 'default', 'batches.issue_item', 0, {args} FROM batch_items "
        "WHERE status = 'pending' ORDER BY id"
    )


def downgrade() -> None:
    with op.batch_alter_table("batch_items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("claimed_at", service.db.UtcDateTime(timezone=True), nullable=True)
        )
        batch_op.drop_column("job_id")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("pdf_job_id")
    with op.batch_alter_table("archive_numbers", schema=None) as batch_op:
        batch_op.drop_column("staged")
    op.drop_index("ix_archive_checks_archive_id_checked_at", table_name="archive_checks")
    op.drop_table("archive_checks")
    op.drop_table("job_outcomes")
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        bind.connection.driver_connection.execute(PG_DROP)  # type: ignore[union-attr]
    else:
        for table in [*SQLITE_TABLES, "procrastinate_workers"]:
            bind.exec_driver_sql(f"DROP TABLE {table}")
