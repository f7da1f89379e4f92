"""Development aid: start an e2e server once and keep it running, so journeys can be re-run
against it quickly (``KPO_E2E_REUSE="<url> <db_name>" pytest tests/e2e``).

    eval "$(tools/services env)" && .venv/bin/python -m tests.e2e.devserver [db_name]

Stop it with Ctrl-C (or by its process id); the database ``kpo_e2e_dev_*`` is dropped then.
With ``db_name`` it serves (the current code on) an existing e2e database and keeps it.
"""

from __future__ import annotations

import os
import sys
import uuid

from tests.e2e.conftest import (
    ROOT,
    admin_connection,
    create_migrated_database,
    prepare_database,
    server_env,
    start_server,
)


def main() -> None:
    base_url = os.environ["DATABASE_URL"]
    existing = sys.argv[1] if len(sys.argv) > 1 else None
    db_name = existing or f"kpo_e2e_dev_{uuid.uuid4().hex[:8]}"
    if not existing:
        create_migrated_database(db_name)
    env = server_env(db_name)
    server = None
    try:
        if not existing:
            prepare_database(env)
        server, url = start_server(env, ROOT / ".run" / f"{db_name}-server.log")
        print(f'KPO_E2E_REUSE="{url} {db_name}"', flush=True)
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if not existing:
            with admin_connection(base_url) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
