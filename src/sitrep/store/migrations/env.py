"""Alembic environment: runs on the connection handed over by sitrep.store.db (or a URL from alembic.ini)."""
from alembic import context
from sqlalchemy import create_engine

from sitrep.store.models import Base

config = context.config
target_metadata = Base.metadata


def include_object(obj, name, type_, reflected, compare_to):
    # FTS virtual tables and their shadow tables are created by hand in the migrations
    return not (type_ == "table" and name and "_fts" in name)


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as connection:
            _run(connection)
    else:
        _run(connection)


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, include_object=include_object,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


run()
