import GRDB

/// The schema, as migrations: the single source of truth for every table and index.
///
/// Design for bulk loads: integer surrogate keys, the hot `entry` table clustered on
/// `(formulary_id, drug_id)` without a rowid, small-integer tri-states (NULL = unknown), and plan-
/// scoped tables keyed by the plan's external id so rows may arrive in any file order.
/// The two entry tables carry no foreign-key clauses: a per-row parent lookup cost a third of
/// the insert rate. `SnapshotWriter` only writes ids it created, and deleting a snapshot
/// deletes its entries explicitly. Their `status` is a small integer (`StatusCode`), and NDCs
/// live only in `drug_ndc`: every byte of a 1.5M-row table is written twice (WAL, then checkpoint).
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-snapshots-and-formularies") { db in
            try db.execute(sql: """
                CREATE TABLE snapshot (
                    id INTEGER PRIMARY KEY,
                    source_name TEXT NOT NULL,
                    format TEXT NOT NULL,
                    imported_at TEXT NOT NULL,
                    contract_year INTEGER,
                    counts_json TEXT NOT NULL DEFAULT '{}',
                    warnings_json TEXT NOT NULL DEFAULT '[]'
                );
                CREATE INDEX snapshot_by_source ON snapshot(source_name, id);

                CREATE TABLE source_file (
                    id INTEGER PRIMARY KEY,
                    snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    role TEXT NOT NULL,
                    sha256 TEXT,
                    byte_count INTEGER
                );
                CREATE INDEX source_file_by_snapshot ON source_file(snapshot_id);

                CREATE TABLE formulary (
                    id INTEGER PRIMARY KEY,
                    snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
                    external_id TEXT NOT NULL,
                    version TEXT,
                    name TEXT,
                    contract_year INTEGER,
                    UNIQUE (snapshot_id, external_id)
                );

                CREATE TABLE plan (
                    id INTEGER PRIMARY KEY,
                    snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
                    external_id TEXT NOT NULL,
                    name TEXT,
                    organization_name TEXT,
                    market TEXT NOT NULL,
                    formulary_id INTEGER NOT NULL REFERENCES formulary(id) ON DELETE CASCADE,
                    year INTEGER,
                    premium_monthly TEXT,
                    drug_deductible TEXT,
                    states TEXT NOT NULL DEFAULT '',
                    snp_type TEXT,
                    UNIQUE (snapshot_id, external_id)
                );
                CREATE INDEX plan_by_external_id ON plan(external_id);

                CREATE TABLE tier (
                    formulary_id INTEGER NOT NULL REFERENCES formulary(id) ON DELETE CASCADE,
                    source_code TEXT NOT NULL,
                    source_system TEXT,
                    category TEXT NOT NULL,
                    label TEXT,
                    is_specialty INTEGER,
                    PRIMARY KEY (formulary_id, source_code)
                ) WITHOUT ROWID;

                CREATE TABLE cost_share (
                    id INTEGER PRIMARY KEY,
                    snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
                    plan_external_id TEXT NOT NULL,
                    tier_code TEXT,
                    phase TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    days_supply INTEGER,
                    offered INTEGER NOT NULL,
                    copay TEXT,
                    coinsurance TEXT,
                    coinsurance_raw TEXT,
                    minimum TEXT,
                    maximum TEXT,
                    deductible_applies INTEGER,
                    qualifier TEXT,
                    scope TEXT NOT NULL
                );
                CREATE INDEX cost_share_by_plan ON cost_share(snapshot_id, plan_external_id, tier_code);

                CREATE TABLE drug (
                    id INTEGER PRIMARY KEY,
                    rxcui TEXT,
                    name TEXT
                );
                CREATE UNIQUE INDEX drug_by_rxcui ON drug(rxcui) WHERE rxcui IS NOT NULL;
                CREATE UNIQUE INDEX drug_by_name ON drug(name) WHERE rxcui IS NULL;

                CREATE TABLE drug_ndc (
                    ndc TEXT PRIMARY KEY,
                    drug_id INTEGER NOT NULL REFERENCES drug(id)
                ) WITHOUT ROWID;

                CREATE TABLE entry (
                    formulary_id INTEGER NOT NULL,
                    drug_id INTEGER NOT NULL,
                    tier_code TEXT NOT NULL,
                    status INTEGER NOT NULL,
                    pa INTEGER,
                    st INTEGER,
                    ql INTEGER,
                    ql_amount REAL,
                    ql_days INTEGER,
                    selected_drug INTEGER,
                    file_id INTEGER,
                    source_line INTEGER,
                    PRIMARY KEY (formulary_id, drug_id)
                ) WITHOUT ROWID;

                -- What few sources say beyond the flags (FHIR new-starts-only, daily maximum, a
                -- description): a side table, so the hot table pays no bytes for it.
                CREATE TABLE entry_detail (
                    formulary_id INTEGER NOT NULL,
                    drug_id INTEGER NOT NULL,
                    pa_new_starts INTEGER,
                    st_new_starts INTEGER,
                    ql_max_daily REAL,
                    ql_description TEXT,
                    PRIMARY KEY (formulary_id, drug_id)
                ) WITHOUT ROWID;

                CREATE TABLE plan_entry (
                    snapshot_id INTEGER NOT NULL,
                    contract_plan TEXT NOT NULL,
                    drug_id INTEGER NOT NULL,
                    tier_code TEXT NOT NULL,
                    status INTEGER NOT NULL,
                    pa INTEGER,
                    st INTEGER,
                    ql INTEGER,
                    ql_amount REAL,
                    ql_days INTEGER,
                    capped_benefit INTEGER,
                    file_id INTEGER,
                    source_line INTEGER,
                    PRIMARY KEY (snapshot_id, contract_plan, drug_id)
                ) WITHOUT ROWID;

                CREATE TABLE indication (
                    snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
                    contract_plan TEXT NOT NULL,
                    rxcui TEXT NOT NULL,
                    disease TEXT NOT NULL
                );
                CREATE INDEX indication_by_plan ON indication(snapshot_id, contract_plan, rxcui);

                CREATE TABLE concept (
                    rxcui TEXT PRIMARY KEY,
                    snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
                    term_type TEXT NOT NULL,
                    name TEXT NOT NULL,
                    ingredients TEXT NOT NULL,
                    ingredient_names TEXT NOT NULL,
                    brand_name TEXT
                ) WITHOUT ROWID;
                CREATE INDEX concept_by_name ON concept(name COLLATE NOCASE);
                """)
        }
        migrator.registerMigration("v2-fetch-state") { db in
            // What the refresh job last saw of each source: HTTP validators for conditional
            // requests and the content hash that decides whether an import is needed.
            try db.execute(sql: """
                CREATE TABLE fetch_state (
                    source_name TEXT PRIMARY KEY,
                    location TEXT NOT NULL,
                    etag TEXT,
                    last_modified TEXT,
                    content_sha256 TEXT,
                    checked_at TEXT NOT NULL,
                    snapshot_id INTEGER
                );
                """)
        }
        migrator.registerMigration("v3-concept-ndc") { db in
            // NDC → RxCUI from a drug reference (RxNorm RXNSAT), for claims that name NDCs.
            try db.execute(sql: """
                CREATE TABLE concept_ndc (
                    ndc TEXT NOT NULL,
                    rxcui TEXT NOT NULL,
                    is_current INTEGER NOT NULL,
                    snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
                    PRIMARY KEY (ndc, rxcui)
                ) WITHOUT ROWID;
                CREATE INDEX concept_ndc_by_rxcui ON concept_ndc(rxcui);
                """)
        }
        migrator.registerMigration("v4-watchlist") { db in
            // Saved patient profiles and their last analysis, for alerts after a refresh. The
            // database file is created 0600 for this reason.
            try db.execute(sql: """
                CREATE TABLE watch (
                    id INTEGER PRIMARY KEY,
                    label TEXT NOT NULL UNIQUE,
                    profile TEXT NOT NULL,
                    file_name TEXT NOT NULL,
                    plans TEXT NOT NULL DEFAULT '',
                    added_at TEXT NOT NULL,
                    last_analysis TEXT,
                    last_analyzed_at TEXT
                );
                """)
        }
        migrator.registerMigration("v5-lookup-indexes") { db in
            // Lookups name each line's NDC (by drug id) and its indication limits (by RxCUI) for
            // hundreds of lines at a time; without these, each was a scan.
            try db.execute(sql: """
                CREATE INDEX drug_ndc_by_drug ON drug_ndc(drug_id);
                """)
        }
        migrator.registerMigration("v6-drug-generation") { db in
            // Counts the write transactions that may change drug identities (drug, drug_ndc,
            // concept): imports and pruning bump it. Readers key cached drug lookups on it.
            try db.execute(sql: """
                CREATE TABLE drug_generation (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    value INTEGER NOT NULL
                );
                INSERT INTO drug_generation (id, value) VALUES (1, 0);
                """)
        }
        migrator.registerMigration("v7-alert-outbox-and-refresh-runs") { db in
            // Alerts are recorded in the transaction that advances a watch (an outbox) and
            // delivered afterwards, each channel once; a failed delivery stays pending. No foreign
            // key to `watch`: an alert outlives a removed watch. Every refresh run is recorded.
            try db.execute(sql: """
                CREATE TABLE alert (
                    id INTEGER PRIMARY KEY,
                    watch_id INTEGER,
                    label TEXT NOT NULL,
                    as_of TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    files_delivered_at TEXT,
                    files_path TEXT,
                    notified_at TEXT,
                    delivered_at TEXT,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    last_error TEXT,
                    last_attempt_at TEXT
                );
                CREATE INDEX alert_pending ON alert(id) WHERE delivered_at IS NULL;

                CREATE TABLE refresh_run (
                    id INTEGER PRIMARY KEY,
                    started_at TEXT NOT NULL,
                    finished_at TEXT,
                    manifest TEXT NOT NULL,
                    sources_json TEXT NOT NULL DEFAULT '[]',
                    patients_checked INTEGER NOT NULL DEFAULT 0,
                    alerts_created INTEGER NOT NULL DEFAULT 0,
                    alerts_pending INTEGER NOT NULL DEFAULT 0,
                    exit_code INTEGER,
                    error TEXT
                );
                """)
        }
        migrator.registerMigration("v8-snapshot-content") { db in
            // What each snapshot holds (plans, formularies, lines, concepts), as the writer counted
            // it: the shrink guard compares a new snapshot with the previous one of its source
            // without counting a million rows. Older snapshots are counted once, when needed.
            try db.execute(sql: "ALTER TABLE snapshot ADD COLUMN content_json TEXT")
        }
        migrator.registerMigration("v9-report-name-secret") { db in
            // One row: the per-database secret that keys the hash standing for a patient in
            // report file names (`reportNameKey()`), made of 32 random bytes on first use.
            try db.execute(sql: """
                CREATE TABLE secret (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    report_name_key BLOB NOT NULL CHECK (length(report_name_key) = 32),
                    created_at TEXT NOT NULL
                );
                """)
        }
        return migrator
    }

    /// Marks the current write transaction as one that may change drug identities or any
    /// coverage answer: every import and every prune. The drug-set and coverage caches are keyed
    /// on this counter.
    static func bumpDrugGeneration(_ db: Database) throws {
        try db.execute(sql: "UPDATE drug_generation SET value = value + 1 WHERE id = 1")
    }
}
