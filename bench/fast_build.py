"""Build the flagging data set in SQL (generate_series), fast enough for 1,000,000 clients.

`bench/flagging.py build --fast --clients 1000000` uses it: Django makes the firms, the staff and the
memberships (one firm per 1,000 clients, as a hosted service with a thousand firms: 1 admin + 4 lawyers
each), then one INSERT ... SELECT FROM generate_series per table writes the clients, their current
scores, eligibility rows and nominations inside PostgreSQL (no Python per row). The distribution matches
the Python build: 85% of clients with a lawyer, half in the pool, total ~ N(455, 45) (Box-Muller on
random()), 3% nominated (+600), fsw/cec/fst eligible with p = 0.55/0.45/0.06, 30% with one category.

Columns the statements do not name get a neutral value of their type when they are NOT NULL without a
default (read from information_schema), so the build follows the models as they change.
"""

from __future__ import annotations

from typing import Any

ZERO = {
    "text": "''",
    "character varying": "''",
    "boolean": "false",
    "integer": "0",
    "bigint": "0",
    "smallint": "0",
    "numeric": "0",
    "double precision": "0",
    "date": "current_date",
    "timestamp with time zone": "now()",
    "jsonb": "'{}'::jsonb",
    "uuid": "gen_random_uuid()",
    "ARRAY": "'{}'",
}


def _columns(conn: Any, table: str) -> list[tuple[str, str, bool, bool]]:
    rows = conn.execute(
        "SELECT column_name, data_type, is_nullable = 'YES', column_default IS NOT NULL OR is_identity = 'YES' "
        "FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
        (table,),
    ).fetchall()
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def insert_select(conn: Any, table: str, given: dict[str, str], source: str) -> int:
    """INSERT INTO table (given + every other NOT NULL column without a default) SELECT ... source."""
    names, exprs = [], []
    for name, kind, nullable, has_default in _columns(conn, table):
        if name in given:
            names.append(name)
            exprs.append(given[name])
        elif not nullable and not has_default:
            if kind not in ZERO:
                raise ValueError(f"{table}.{name}: no neutral value for {kind}")
            names.append(name)
            exprs.append(ZERO[kind])
    missing = set(given) - set(names)
    if missing:
        raise ValueError(f"{table}: unknown columns {missing}")
    sql = f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(exprs)} {source}"
    return conn.execute(sql).rowcount


def build_sql(conn: Any, n: int, firm_ids: list[int], lawyers: dict[int, list[int]], version: str) -> None:
    """Clients, scores, eligibility and nominations for n clients spread over firm_ids."""
    conn.execute("SELECT setseed(0.11)")
    conn.execute("CREATE TEMP TABLE bench_firms (k int PRIMARY KEY, firm_id bigint, lawyers bigint[])")
    with conn.cursor().copy("COPY bench_firms (k, firm_id, lawyers) FROM STDIN") as copy:
        for k, firm_id in enumerate(firm_ids):
            copy.write_row((k, firm_id, lawyers[firm_id]))
    nf = len(firm_ids)
    insert_select(
        conn,
        "firm_client",
        {
            "firm_id": "f.firm_id",
            "first_name": "'C' || g",
            "last_name": "'Bench' || g",
            "email": "'c' || g || '@clients.bench.test'",
            "assigned_lawyer_id": "CASE WHEN random() < 0.85 THEN f.lawyers[1 + floor(random() * 4)::int] END",
            "status": "'active'",
            "ee_profile_number": "CASE WHEN g % 2 = 0 THEN 'E' || lpad(g::text, 9, '0') ELSE '' END",
            "ee_profile_submitted_at": (
                "CASE WHEN g % 2 = 0 THEN now() - (1 + floor(random() * 360)) * interval '1 day' END"
            ),
            "created_at": "now()",
            "updated_at": "now()",
        },
        f"FROM generate_series(0, {n - 1}) g JOIN bench_firms f ON f.k = g % {nf}",
    )
    conn.execute(
        "CREATE TEMP TABLE bench_c AS SELECT id, firm_id, random() < 0.03 AS nominated, "
        "greatest(0, least(1200, round(455 + 45 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))))::int"
        " AS total FROM firm_client"
    )
    insert_select(
        conn,
        "scoring_crsscore",
        {
            "firm_id": "firm_id",
            "client_id": "id",
            "total": "total + CASE WHEN nominated THEN 600 ELSE 0 END",
            "core": "total",
            "rule_set": "'crs-2025-03-25'",
            "inputs_hash": "repeat('0', 64)",
            "as_of": "current_date",
            "is_current": "true",
        },
        "FROM bench_c",
    )
    insert_select(
        conn,
        "firm_provincialnomination",
        {"client_id": "id", "province": "'ON'", "nominated_on": "current_date - 20"},
        "FROM bench_c WHERE nominated",
    )
    for program, p in (("fsw", 0.55), ("cec", 0.45), ("fst", 0.06)):
        insert_select(
            conn,
            "scoring_eligibility",
            {
                "firm_id": "firm_id",
                "client_id": "id",
                "program": f"'{program}'",
                "outcome": f"CASE WHEN random() < {p} THEN 'eligible' ELSE 'not_eligible' END",
                "as_of": "current_date",
            },
            "FROM bench_c",
        )
    insert_select(
        conn,
        "scoring_eligibility",
        {
            "firm_id": "firm_id",
            "client_id": "id",
            "program": "(ARRAY['healthcare','stem','trades','french','education'])[1 + floor(random() * 5)::int]",
            "version": f"'{version}'",
            "outcome": "'eligible'",
            "as_of": "current_date",
        },
        "FROM bench_c WHERE random() < 0.3",
    )
