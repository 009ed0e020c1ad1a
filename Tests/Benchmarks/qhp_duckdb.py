"""Baseline for qhp.sh: DuckDB reads drugs.json and flattens every drug-plan entry into a table
persisted to a DuckDB file, as `formulary import` stores one row per plan entry.

usage: qhp_duckdb.py DRUGS_JSON DATABASE

Only the load is timed, inside this process: from `duckdb.connect` to a `CHECKPOINT` of the new
table to the database file. Python's start-up and `import duckdb` (0.3–0.45 s on the benchmark
machine) come before the clock starts. The row count is read after the clock stops. DuckDB runs with
its defaults (all cores, memory limit 80 % of RAM). Prints one JSON line:
{"seconds": ..., "rows": ..., "duckdb": "<version>"}.
"""
import json
import sys
import time

import duckdb

path, database = sys.argv[1], sys.argv[2]
start = time.perf_counter()
con = duckdb.connect(database)
con.execute(f"""
    CREATE TABLE entry AS
    SELECT rxnorm_id, drug_name, p.plan_id, p.drug_tier, p.prior_authorization, p.step_therapy, p.quantity_limit
    FROM (SELECT rxnorm_id, drug_name, unnest(plans) AS p FROM read_json('{path}', format = 'array'))
""")
con.execute("CHECKPOINT")
seconds = time.perf_counter() - start
rows = con.execute("SELECT count(*) FROM entry").fetchone()[0]
con.close()
print(json.dumps({"seconds": round(seconds, 3), "rows": rows, "duckdb": duckdb.__version__}))
