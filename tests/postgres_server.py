"""Clean PostgreSQL databases for tests: cloned once from a migrated template, then reused.

`PLANNER_TEST_POSTGRES_URL` names a database on a throw-away server (`.ci/postgres.sh`); its
role must be allowed to create databases. Each test gets a database exactly as a new one is
after the migrations (schema plus the starter rows they seed). CREATE DATABASE costs about 0.3 s
on a busy two-core machine, so after its test a database is reset in a few milliseconds (rows
deleted, seeded rows put back, sequences rewound) and handed to the next one, unless the test
changed its schema (migration tests): then it is dropped and a new clone takes its place.
"""

from __future__ import annotations

import itertools
import os

from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from planner.db.database import open_database

ENV_VAR = "PLANNER_TEST_POSTGRES_URL"

_FINGERPRINT = """
SELECT (SELECT string_agg(version_num, ',') FROM alembic_version) || ':' || md5(string_agg(
    c.relname || '.' || a.attname || ':' || a.atttypid::text || ':' || a.attnotnull::text,
    ',' ORDER BY c.relname, a.attnum))
FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
"""


def configured_url() -> str:
    return os.environ.get(ENV_VAR, "").strip()


class PostgresServer:
    """Hands out clean databases next to the one the environment names."""

    def __init__(self, url: str) -> None:
        self.base = make_url(url)
        self.prefix = f"planner_t{os.getpid()}"
        self._names = itertools.count(1)
        self._admin: Engine = create_engine(self.base, isolation_level="AUTOCOMMIT")
        self._template_ready = False
        self._fingerprint = ""
        self._free: list[str] = []
        self._cleaners: dict[str, Engine] = {}
        self._tables: dict[str, tuple[list[str], list[str]]] = {}
        self._seeds: list[tuple[str, list[str], list[tuple[object, ...]]]] = []

    def url_for(self, name: str) -> str:
        return self.base.set(database=name).render_as_string(hide_password=False)

    def _execute(self, sql: str) -> None:
        with self._admin.connect() as conn:
            conn.exec_driver_sql(sql)

    def _template(self) -> str:
        name = f"{self.prefix}_template"
        if not self._template_ready:
            self._execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            self._execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")
            open_database(self.url_for(name)).close()
            engine = create_engine(self.url_for(name))
            with engine.connect() as conn:
                self._fingerprint = str(conn.exec_driver_sql(_FINGERPRINT).scalar())
                self._seeds = self._read_seeds(conn)
            engine.dispose()
            self._template_ready = True
        return name

    def new_database(self, *, migrated: bool = True) -> str:
        """URL of a database at the newest schema with no rows, or an empty one (no schema)."""
        if migrated and self._free:
            return self.url_for(self._free.pop())
        name = f"{self.prefix}_{next(self._names)}"
        template = self._template() if migrated else "template0"
        self._execute(f"CREATE DATABASE {name} TEMPLATE {template} ENCODING 'UTF8'")
        return self.url_for(name)

    def release(self, url: str) -> None:
        """Empty the database for the next test, or drop it if the test changed its schema."""
        name = str(make_url(url).database)
        if self._template_ready and self._empty(name):
            self._free.append(name)
            return
        cleaner = self._cleaners.pop(name, None)
        if cleaner is not None:
            cleaner.dispose()
        # FORCE: a test that forgot to close an engine must not keep the database alive.
        self._execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def _empty(self, name: str) -> bool:
        engine = self._cleaners.get(name)
        if engine is None:
            engine = self._cleaners[name] = create_engine(self.url_for(name), pool_size=1)
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql("SET LOCAL lock_timeout = '2s'")
                if conn.exec_driver_sql(_FINGERPRINT).scalar() != self._fingerprint:
                    return False
                self._delete_rows(conn, name)
            return True
        except SQLAlchemyError:
            return False

    @staticmethod
    def _tables_of(conn: Connection) -> list[str]:
        return [
            str(r[0])
            for r in conn.exec_driver_sql(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                " AND tablename <> 'alembic_version' ORDER BY tablename"
            )
        ]

    def _read_seeds(
        self, conn: Connection
    ) -> list[tuple[str, list[str], list[tuple[object, ...]]]]:
        """The rows the migrations put in a new database (starter questions, pitches, ...)."""
        seeds = []
        for table in self._tables_of(conn):
            result = conn.exec_driver_sql(f'SELECT * FROM "{table}"')
            rows = [tuple(r) for r in result]
            if rows:
                seeds.append((table, list(result.keys()), rows))
        return seeds

    def _delete_rows(self, conn: Connection, name: str) -> None:
        if name not in self._tables:
            sequences = [
                f'SELECT setval(\'"{seq}"\', COALESCE((SELECT max("{col}") FROM "{table}"), 0)'
                f" + 1, false);"
                for seq, table, col in conn.exec_driver_sql(
                    "SELECT s.relname, t.relname, a.attname FROM pg_class s"
                    " JOIN pg_depend d ON d.objid = s.oid"
                    " AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass"
                    " JOIN pg_class t ON t.oid = d.refobjid"
                    " JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid"
                    " WHERE s.relkind = 'S' AND s.relnamespace = 'public'::regnamespace"
                )
            ]
            self._tables[name] = (self._tables_of(conn), sequences)
        tables, sequences = self._tables[name]
        superuser = "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        fast = bool(conn.exec_driver_sql(superuser).scalar())
        if fast:
            # Foreign-key triggers off: milliseconds instead of TRUNCATE's 0.2 s.
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
            conn.exec_driver_sql("".join(f'DELETE FROM "{t}";' for t in tables))
        else:
            conn.exec_driver_sql("TRUNCATE " + ", ".join(f'"{t}"' for t in tables))
        for table, columns, rows in self._seeds:
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("%s" for _ in columns)
            conn.exec_driver_sql(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
        conn.exec_driver_sql("".join(sequences))

    def close(self) -> None:
        for engine in self._cleaners.values():
            engine.dispose()
        names = [*self._free, *([f"{self.prefix}_template"] if self._template_ready else [])]
        for name in names:
            self._execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self._admin.dispose()
