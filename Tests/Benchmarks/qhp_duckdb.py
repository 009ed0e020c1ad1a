"""Baseline for qhp.sh: DuckDB reads drugs.json and flattens every drug-plan entry into a table,
as `formulary import` does. usage: qhp_duckdb.py DRUGS_JSON DATABASE"""
import sys, time
import duckdb
path, database = sys.argv[1], sys.argv[2]
start = time.time()
con = duckdb.connect(database)
con.execute(f"""
    CREATE TABLE entry AS
    SELECT rxnorm_id, drug_name, p.plan_id, p.drug_tier, p.prior_authorization, p.step_therapy, p.quantity_limit
    FROM (SELECT rxnorm_id, drug_name, unnest(plans) AS p FROM read_json('{path}', format = 'array'))
""")
rows = con.execute("SELECT count(*), count(DISTINCT plan_id) FROM entry").fetchone()
con.close()
print(f"duckdb: {time.time() - start:.2f} s, entries={rows[0]} plans={rows[1]}")
