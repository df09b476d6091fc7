/* fest-festival-schema.c: versioned migrations of a festival database
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each entry is applied once, in order, inside one transaction, and recorded in PRAGMA user_version.
 * Never edit a released step: add a new one.
 */

#include "config.h"

#include "fest-festival-schema.h"

static const char * const festival_migrations[] = {
  /* 1: the whole festival schema */
  "CREATE TABLE festival ("
  "  id TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  starts_at TEXT NOT NULL,"
  "  ends_at TEXT NOT NULL,"
  "  timezone TEXT NOT NULL,"
  "  currency_name TEXT NOT NULL,"
  "  exchange_rate_cents INTEGER NOT NULL CHECK (exchange_rate_cents > 0),"
  "  lat REAL, lng REAL,"
  "  offline_allowance INTEGER NOT NULL DEFAULT 0,"   /* per-wallet offline overdraw a station may accept */
  "  ticket_public_key BLOB NOT NULL,"                /* Ed25519, 32 bytes */
  "  ticket_secret_key BLOB NOT NULL,"                /* Ed25519, 64 bytes: never leaves the server */
  "  created_at TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL"
  ");"
  /* Monotonic change counter for GET /sync/changes: every row a station caches carries the rev of
   * its last change; the cursor is the highest rev a station has seen. */
  "CREATE TABLE change_counter (id INTEGER PRIMARY KEY CHECK (id = 1), rev INTEGER NOT NULL);"
  "INSERT INTO change_counter (id, rev) VALUES (1, 0);"
  "CREATE TABLE stands ("
  "  id TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  type TEXT NOT NULL,"                              /* BAR FOOD MERCH RECHARGE */
  "  lat REAL, lng REAL, zone TEXT,"
  "  is_active INTEGER NOT NULL DEFAULT 1,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  rev INTEGER NOT NULL DEFAULT 0,"
  "  created_at TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL"
  ");"
  "CREATE TABLE products ("
  "  id TEXT PRIMARY KEY,"
  "  stand_id TEXT NOT NULL REFERENCES stands(id),"
  "  name TEXT NOT NULL,"
  "  price INTEGER NOT NULL CHECK (price >= 0),"
  "  vat_rate_bp INTEGER NOT NULL,"                    /* 2000 = 20 % */
  "  category TEXT,"
  "  stock INTEGER,"                                   /* NULL = unlimited; may go negative offline */
  "  stock_overdrawn INTEGER NOT NULL DEFAULT 0,"
  "  is_active INTEGER NOT NULL DEFAULT 1,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  rev INTEGER NOT NULL DEFAULT 0,"
  "  created_at TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL"
  ");"
  "CREATE INDEX idx_products_stand ON products(stand_id);"
  "CREATE TABLE wallets ("
  "  id TEXT PRIMARY KEY,"
  "  code TEXT NOT NULL UNIQUE,"
  "  holder_name TEXT,"
  "  user_id TEXT,"                                    /* platform account id, for attendee wallets */
  "  balance INTEGER NOT NULL DEFAULT 0,"              /* cache of SUM(transactions.amount) */
  "  overdrawn INTEGER NOT NULL DEFAULT 0,"
  "  rev INTEGER NOT NULL DEFAULT 0,"
  "  created_at TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL"
  ");"
  "CREATE UNIQUE INDEX idx_wallets_user ON wallets(user_id) WHERE user_id IS NOT NULL;"
  "CREATE INDEX idx_wallets_rev ON wallets(rev);"
  /* Append-only ledger: seq is the commit order and the hash chain order. */
  "CREATE TABLE transactions ("
  "  seq INTEGER PRIMARY KEY,"
  "  id TEXT NOT NULL UNIQUE,"
  "  wallet_id TEXT NOT NULL REFERENCES wallets(id),"
  "  type TEXT NOT NULL CHECK (type IN ('RECHARGE','PAYMENT','REFUND','CANCEL')),"
  "  amount INTEGER NOT NULL,"                         /* signed: + credit, - debit */
  "  balance_after INTEGER NOT NULL,"
  "  reference TEXT,"
  "  refers_to TEXT,"                                  /* REFUND/CANCEL: the payment's id */
  "  payment_method TEXT,"                             /* RECHARGE: CASH CARD ONLINE */
  "  stand_id TEXT,"
  "  operator_id TEXT,"
  "  device_id TEXT,"
  "  idempotency_key TEXT NOT NULL UNIQUE,"
  "  offline_created INTEGER NOT NULL DEFAULT 0,"
  "  created_at TEXT NOT NULL,"                        /* when it happened (station clock offline) */
  "  recorded_at TEXT NOT NULL,"                       /* when the server committed it */
  "  prev_hash TEXT NOT NULL,"
  "  hash TEXT NOT NULL"
  ");"
  "CREATE INDEX idx_transactions_wallet ON transactions(wallet_id, seq);"
  "CREATE INDEX idx_transactions_stand ON transactions(stand_id, seq);"
  "CREATE INDEX idx_transactions_created ON transactions(created_at);"
  "CREATE INDEX idx_transactions_refers ON transactions(refers_to) WHERE refers_to IS NOT NULL;"
  "CREATE TABLE transaction_lines ("
  "  transaction_id TEXT NOT NULL REFERENCES transactions(id),"
  "  line_no INTEGER NOT NULL,"
  "  product_id TEXT NOT NULL,"
  "  name TEXT NOT NULL,"
  "  quantity INTEGER NOT NULL,"
  "  unit_price INTEGER NOT NULL,"
  "  vat_rate_bp INTEGER NOT NULL,"
  "  vat_amount INTEGER NOT NULL,"
  "  PRIMARY KEY (transaction_id, line_no)"
  ") WITHOUT ROWID;"
  "CREATE INDEX idx_lines_product ON transaction_lines(product_id);"
  /* Idempotency keys of every mutating ledger/scan/sync request, kept for the festival's life. */
  "CREATE TABLE idempotency ("
  "  key TEXT PRIMARY KEY,"
  "  request_hash TEXT NOT NULL,"                      /* SHA-256 of method, path and body */
  "  status INTEGER NOT NULL,"
  "  body BLOB NOT NULL,"
  "  created_at TEXT NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE TABLE ticket_types ("
  "  id TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  code TEXT NOT NULL UNIQUE,"
  "  price INTEGER NOT NULL DEFAULT 0,"
  "  quota INTEGER,"                                   /* NULL = unlimited */
  "  issued INTEGER NOT NULL DEFAULT 0,"
  "  valid_from TEXT NOT NULL,"
  "  valid_until TEXT NOT NULL,"
  "  reentry_allowed INTEGER NOT NULL DEFAULT 0,"
  "  rev INTEGER NOT NULL DEFAULT 0,"
  "  created_at TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL"
  ");"
  "CREATE TABLE tickets ("
  "  id TEXT PRIMARY KEY,"
  "  ticket_type_id TEXT NOT NULL REFERENCES ticket_types(id),"
  "  holder_name TEXT,"
  "  holder_email TEXT,"
  "  qr_code TEXT NOT NULL UNIQUE,"
  "  status TEXT NOT NULL DEFAULT 'VALID' CHECK (status IN ('VALID','USED','CANCELLED')),"
  "  inside INTEGER NOT NULL DEFAULT 0,"               /* currently on site (re-entry types) */
  "  used_at TEXT,"
  "  used_gate TEXT,"
  "  rev INTEGER NOT NULL DEFAULT 0,"
  "  created_at TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL"
  ");"
  "CREATE INDEX idx_tickets_rev ON tickets(rev);"
  "CREATE INDEX idx_tickets_type ON tickets(ticket_type_id);"
  /* Every scan is kept; result ENTRY, EXIT, DUPLICATE_ENTRY, REFUSED */
  "CREATE TABLE scans ("
  "  seq INTEGER PRIMARY KEY,"
  "  id TEXT NOT NULL UNIQUE,"
  "  ticket_id TEXT NOT NULL REFERENCES tickets(id),"
  "  gate TEXT NOT NULL,"
  "  direction TEXT NOT NULL CHECK (direction IN ('IN','OUT')),"
  "  result TEXT NOT NULL,"
  "  device_id TEXT,"
  "  operator_id TEXT,"
  "  offline_created INTEGER NOT NULL DEFAULT 0,"
  "  scanned_at TEXT NOT NULL,"
  "  recorded_at TEXT NOT NULL"
  ");"
  "CREATE INDEX idx_scans_ticket ON scans(ticket_id, scanned_at);"
  "CREATE INDEX idx_scans_time ON scans(scanned_at);"
  "CREATE TABLE alerts ("
  "  id TEXT PRIMARY KEY,"
  "  type TEXT NOT NULL,"                              /* DUPLICATE_ENTRY, STOCK_OVERDRAWN, WALLET_OVERDRAWN */
  "  entity_type TEXT, entity_id TEXT,"
  "  details TEXT,"                                    /* JSON */
  "  acknowledged INTEGER NOT NULL DEFAULT 0,"
  "  rev INTEGER NOT NULL DEFAULT 0,"
  "  created_at TEXT NOT NULL"
  ");"
  "CREATE TABLE stages ("
  "  id TEXT PRIMARY KEY, name TEXT NOT NULL, capacity INTEGER, lat REAL, lng REAL,"
  "  created_at TEXT NOT NULL, updated_at TEXT NOT NULL"
  ");"
  "CREATE TABLE artists ("
  "  id TEXT PRIMARY KEY, user_id TEXT, name TEXT NOT NULL, type TEXT, rider TEXT NOT NULL DEFAULT '{}',"
  "  guest_quota INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL"
  ");"
  "CREATE TABLE slots ("
  "  id TEXT PRIMARY KEY, stage_id TEXT NOT NULL REFERENCES stages(id),"
  "  artist_id TEXT NOT NULL REFERENCES artists(id), start_time TEXT NOT NULL, end_time TEXT NOT NULL,"
  "  status TEXT NOT NULL DEFAULT 'PENDING', created_at TEXT NOT NULL, updated_at TEXT NOT NULL"
  ");"
  "CREATE TABLE incidents ("
  "  id TEXT PRIMARY KEY,"
  "  type TEXT NOT NULL CHECK (type IN ('FIGHT','THEFT','MEDICAL','FIRE','LOST_PERSON','SOS','OTHER')),"
  "  lat REAL NOT NULL, lng REAL NOT NULL,"
  "  description TEXT,"
  "  status TEXT NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN','ASSIGNED','RESOLVED')),"
  "  reporter_id TEXT,"
  "  reporter_device_id TEXT,"
  "  assigned_to TEXT,"
  "  resolved_at TEXT,"
  "  resolution_notes TEXT,"
  "  is_abuse INTEGER NOT NULL DEFAULT 0,"
  "  created_at TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL"
  ");"
  "CREATE INDEX idx_incidents_status ON incidents(status);"
  /* Last contact and pending count reported by each station on sync. */
  "CREATE TABLE station_status ("
  "  device_id TEXT PRIMARY KEY,"
  "  last_contact TEXT NOT NULL,"
  "  pending INTEGER NOT NULL DEFAULT 0"
  ") WITHOUT ROWID;"
  "CREATE TABLE audit_log ("
  "  seq INTEGER PRIMARY KEY,"
  "  id TEXT NOT NULL UNIQUE,"
  "  actor_id TEXT,"                                   /* account id */
  "  device_id TEXT,"
  "  action TEXT NOT NULL,"                            /* e.g. product.create */
  "  entity_type TEXT,"
  "  entity_id TEXT,"
  "  old_values TEXT,"                                 /* JSON */
  "  new_values TEXT,"                                 /* JSON */
  "  ip_address TEXT,"
  "  user_agent TEXT,"
  "  created_at TEXT NOT NULL"
  ");"
  "CREATE INDEX idx_audit_created ON audit_log(created_at);",

  /* 2: what --check needs to verify stock against the ledger. stock_base is the stock the catalog
   * last set (create, or PATCH of stock) and stock_base_seq the highest transactions.seq at that
   * moment: stock = stock_base - Σ PAYMENT quantities + Σ CANCEL quantities of later rows. Also
   * the audit and transaction list filters. */
  "ALTER TABLE products ADD COLUMN stock_base INTEGER;"
  "ALTER TABLE products ADD COLUMN stock_base_seq INTEGER NOT NULL DEFAULT 0;"
  "UPDATE products SET stock_base = stock,"
  "  stock_base_seq = (SELECT COALESCE(MAX(seq), 0) FROM transactions);"
  "CREATE INDEX idx_audit_entity ON audit_log(entity_type, entity_id, seq);"
  "CREATE INDEX idx_audit_actor ON audit_log(actor_id, seq);"
  "CREATE INDEX idx_transactions_operator ON transactions(operator_id, seq) WHERE type = 'PAYMENT';"
  "CREATE INDEX idx_transactions_device ON transactions(device_id, seq) WHERE type = 'PAYMENT';"
  /* The ledger is append-only: corrections are new rows. */
  "CREATE TRIGGER transactions_no_update BEFORE UPDATE ON transactions"
  " BEGIN SELECT RAISE(ABORT, 'transactions are append-only'); END;"
  "CREATE TRIGGER transactions_no_delete BEFORE DELETE ON transactions"
  " BEGIN SELECT RAISE(ABORT, 'transactions are append-only'); END;"
  "CREATE TRIGGER transaction_lines_no_update BEFORE UPDATE ON transaction_lines"
  " BEGIN SELECT RAISE(ABORT, 'transactions are append-only'); END;"
  "CREATE TRIGGER transaction_lines_no_delete BEFORE DELETE ON transaction_lines"
  " BEGIN SELECT RAISE(ABORT, 'transactions are append-only'); END;",

  /* 3: what GET /stats reads without scanning the ledger. stats_transactions holds COUNT and
   * SUM(amount) per (type, stand) ('' for no stand) of every transactions row up to
   * stats_checkpoint.transactions_seq; /stats adds the few rows after it, and a write job folds them
   * in now and then (fest-stats.c). A trigger would do it per insert but makes SQLite open a
   * statement journal for every ledger insert: three times slower payments. */
  "CREATE TABLE stats_transactions ("
  "  type TEXT NOT NULL,"
  "  stand_id TEXT NOT NULL,"
  "  count INTEGER NOT NULL,"
  "  amount INTEGER NOT NULL,"
  "  PRIMARY KEY (type, stand_id)"
  ") WITHOUT ROWID;"
  "CREATE TABLE stats_checkpoint ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  transactions_seq INTEGER NOT NULL"
  ");"
  "INSERT INTO stats_checkpoint (id, transactions_seq) VALUES (1, 0);"
  "CREATE INDEX idx_wallets_overdrawn ON wallets(overdrawn) WHERE overdrawn <> 0;"
  "CREATE INDEX idx_scans_result ON scans(result, scanned_at);",

  /* 4: fewer B-trees written by each payment. A commit writes every page it changed whole to the
   * WAL, at least one per B-tree it touched, and the payments rate is bound by the disk.
   *  - A wallet's history is a chain: wallet_prev_seq is the seq of the wallet's previous row and
   *    wallets.last_seq the newest, instead of an index on (wallet_id, seq) whose page for a random
   *    wallet each payment rewrote.
   *  - transactions.idempotency_key is no longer UNIQUE: the idempotency table owns the keys (its
   *    row refers to the transaction), and GET /transactions?idempotency_key= goes through it.
   *  - Indexes nothing reads: audit_log(created_at) and UNIQUE(id) (GET /audit filters by entity
   *    and actor; ids are fresh UUIDs), transaction_lines(product_id) (--check sums the lines of
   *    all products in one pass).
   * Rebuilding a table is the only way to drop a UNIQUE constraint; foreign keys are off while
   * migrations run (fest-festival-store.c). */
  "DROP INDEX idx_lines_product;"
  "CREATE TABLE audit_log_new ("
  "  seq INTEGER PRIMARY KEY,"
  "  id TEXT NOT NULL,"
  "  actor_id TEXT,"
  "  device_id TEXT,"
  "  action TEXT NOT NULL,"
  "  entity_type TEXT,"
  "  entity_id TEXT,"
  "  old_values TEXT,"
  "  new_values TEXT,"
  "  ip_address TEXT,"
  "  user_agent TEXT,"
  "  created_at TEXT NOT NULL"
  ");"
  "INSERT INTO audit_log_new (seq, id, actor_id, device_id, action, entity_type, entity_id, old_values,"
  "  new_values, ip_address, user_agent, created_at) "
  "SELECT seq, id, actor_id, device_id, action, entity_type, entity_id, old_values, new_values, ip_address,"
  "  user_agent, created_at FROM audit_log ORDER BY seq;"
  "DROP TABLE audit_log;"
  "ALTER TABLE audit_log_new RENAME TO audit_log;"
  "CREATE INDEX idx_audit_entity ON audit_log(entity_type, entity_id, seq);"
  "CREATE INDEX idx_audit_actor ON audit_log(actor_id, seq);"
  "ALTER TABLE wallets ADD COLUMN last_seq INTEGER;"
  "UPDATE wallets SET last_seq = (SELECT MAX(seq) FROM transactions t WHERE t.wallet_id = wallets.id);"
  "CREATE TABLE transactions_new ("
  "  seq INTEGER PRIMARY KEY,"
  "  id TEXT NOT NULL UNIQUE,"
  "  wallet_id TEXT NOT NULL REFERENCES wallets(id),"
  "  type TEXT NOT NULL CHECK (type IN ('RECHARGE','PAYMENT','REFUND','CANCEL')),"
  "  amount INTEGER NOT NULL,"
  "  balance_after INTEGER NOT NULL,"
  "  reference TEXT,"
  "  refers_to TEXT,"
  "  payment_method TEXT,"
  "  stand_id TEXT,"
  "  operator_id TEXT,"
  "  device_id TEXT,"
  "  idempotency_key TEXT NOT NULL,"
  "  offline_created INTEGER NOT NULL DEFAULT 0,"
  "  created_at TEXT NOT NULL,"
  "  recorded_at TEXT NOT NULL,"
  "  prev_hash TEXT NOT NULL,"
  "  hash TEXT NOT NULL,"
  "  wallet_prev_seq INTEGER"                          /* NULL: the wallet's first row */
  ");"
  "INSERT INTO transactions_new (seq, id, wallet_id, type, amount, balance_after, reference, refers_to,"
  "  payment_method, stand_id, operator_id, device_id, idempotency_key, offline_created, created_at,"
  "  recorded_at, prev_hash, hash, wallet_prev_seq) "
  "SELECT seq, id, wallet_id, type, amount, balance_after, reference, refers_to, payment_method, stand_id,"
  "  operator_id, device_id, idempotency_key, offline_created, created_at, recorded_at, prev_hash, hash,"
  "  (SELECT MAX(p.seq) FROM transactions p WHERE p.wallet_id = t.wallet_id AND p.seq < t.seq) "
  "FROM transactions t ORDER BY seq;"
  "DROP TABLE transactions;"
  "ALTER TABLE transactions_new RENAME TO transactions;"
  "CREATE INDEX idx_transactions_stand ON transactions(stand_id, seq);"
  "CREATE INDEX idx_transactions_created ON transactions(created_at);"
  "CREATE INDEX idx_transactions_refers ON transactions(refers_to) WHERE refers_to IS NOT NULL;"
  "CREATE INDEX idx_transactions_operator ON transactions(operator_id, seq) WHERE type = 'PAYMENT';"
  "CREATE INDEX idx_transactions_device ON transactions(device_id, seq) WHERE type = 'PAYMENT';"
  "CREATE TRIGGER transactions_no_update BEFORE UPDATE ON transactions"
  " BEGIN SELECT RAISE(ABORT, 'transactions are append-only'); END;"
  "CREATE TRIGGER transactions_no_delete BEFORE DELETE ON transactions"
  " BEGIN SELECT RAISE(ABORT, 'transactions are append-only'); END;",
  /* 5: online top-ups. An attendee's POST /me/wallet/recharge is only a request to pay: it waits
   * here, PENDING, until the payment provider confirms it (CONFIRMED, with the RECHARGE row it
   * made) or reports it failed. */
  "CREATE TABLE topups ("
  "  id TEXT PRIMARY KEY,"
  "  wallet_id TEXT NOT NULL REFERENCES wallets(id),"
  "  user_id TEXT NOT NULL,"
  "  amount INTEGER NOT NULL CHECK (amount > 0),"
  "  status TEXT NOT NULL CHECK (status IN ('PENDING','CONFIRMED','FAILED')),"
  "  provider TEXT NOT NULL,"
  "  provider_reference TEXT,"
  "  created_at TEXT NOT NULL,"
  "  confirmed_at TEXT,"
  "  transaction_id TEXT,"
  "  CHECK ((status = 'CONFIRMED') = (transaction_id IS NOT NULL))"
  ");"
  "CREATE INDEX idx_topups_user ON topups(user_id);",
  /* 6: bounds on what a wallet and a CANCEL may do (issue 14).
   *  - festival.max_wallet_balance: the balance a RECHARGE may take a wallet to, in minor units;
   *    10,000,000 = 100,000 jetons = 10,000 EUR at the demo's 0.10 EUR a jeton.
   *  - cancel_refusals: payments whose CANCEL the server refused because the window had passed. A
   *    later CANCEL of them is refused whatever station time it claims. */
  "ALTER TABLE festival ADD COLUMN max_wallet_balance INTEGER NOT NULL DEFAULT 10000000"
  "  CHECK (max_wallet_balance >= 0);"
  "CREATE TABLE cancel_refusals ("
  "  payment_id TEXT PRIMARY KEY,"
  "  refused_at TEXT NOT NULL"
  ") WITHOUT ROWID;",
  /* 7: an incident keeps the server's time of arrival besides the reporter's created_at (a
   * station's clock when reported offline), as ledger rows and scans keep recorded_at. Older
   * incidents arrived when they were created, as far as anyone knows. */
  ("ALTER TABLE incidents ADD COLUMN received_at TEXT;"
   "UPDATE incidents SET received_at = created_at;"),
  /* 8: the lineup editor and the artist portal (issue 17).
   *  - stages.changeover_minutes: the gap a stage needs between two sets, part of the overlap check.
   *  - artists.contact_email; artists.rider stays a JSON object, now {technical, hospitality}.
   *  - tickets.artist_id: the artist whose guest list a GUEST ticket is on (NULL for other tickets). */
  ("ALTER TABLE stages ADD COLUMN changeover_minutes INTEGER NOT NULL DEFAULT 0"
   "  CHECK (changeover_minutes >= 0 AND changeover_minutes <= 240);"
   "ALTER TABLE artists ADD COLUMN contact_email TEXT;"
   "ALTER TABLE tickets ADD COLUMN artist_id TEXT REFERENCES artists(id);"
   "CREATE INDEX idx_tickets_artist ON tickets(artist_id) WHERE artist_id IS NOT NULL;"
   "CREATE INDEX idx_artists_user ON artists(user_id) WHERE user_id IS NOT NULL;"),
  /* 9: the incident map (issue 18).
   *  - incidents: type DUPLICATE_ENTRY (two offline gates admitted the same ticket), raised by the
   *    server with its details (JSON: the ticket and both scans); such an incident may have no
   *    position (lat and lng NULL) when neither its gate nor the festival has one. source_key
   *    makes the server raise it once per duplicate scan ("scan:<scan id>"). A CHECK is only
   *    changed by rebuilding the table: rows, received_at and indexes are kept.
   *  - gates: the entrances the scanner stations pick from, with a position and a zone.
   *  - stages.zone, as stands have it (location {lat, lng, zone}). */
  ("CREATE TABLE incidents_new ("
   "  id TEXT PRIMARY KEY,"
   "  type TEXT NOT NULL CHECK (type IN ('FIGHT','THEFT','MEDICAL','FIRE','LOST_PERSON','SOS','OTHER',"
   "    'DUPLICATE_ENTRY')),"
   "  lat REAL, lng REAL,"
   "  description TEXT,"
   "  status TEXT NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN','ASSIGNED','RESOLVED')),"
   "  reporter_id TEXT,"
   "  reporter_device_id TEXT,"
   "  assigned_to TEXT,"
   "  resolved_at TEXT,"
   "  resolution_notes TEXT,"
   "  is_abuse INTEGER NOT NULL DEFAULT 0,"
   "  created_at TEXT NOT NULL,"
   "  updated_at TEXT NOT NULL,"
   "  received_at TEXT,"
   "  details TEXT,"                                   /* JSON object, DUPLICATE_ENTRY */
   "  source_key TEXT"
   ");"
   "INSERT INTO incidents_new (id, type, lat, lng, description, status, reporter_id, reporter_device_id,"
   "  assigned_to, resolved_at, resolution_notes, is_abuse, created_at, updated_at, received_at) "
   "SELECT id, type, lat, lng, description, status, reporter_id, reporter_device_id, assigned_to, resolved_at,"
   "  resolution_notes, is_abuse, created_at, updated_at, received_at FROM incidents;"
   "DROP TABLE incidents;"
   "ALTER TABLE incidents_new RENAME TO incidents;"
   "CREATE INDEX idx_incidents_status ON incidents(status);"
   "CREATE INDEX idx_incidents_created ON incidents(created_at);"
   "CREATE INDEX idx_incidents_assigned ON incidents(assigned_to) WHERE assigned_to IS NOT NULL;"
   "CREATE UNIQUE INDEX idx_incidents_source ON incidents(source_key) WHERE source_key IS NOT NULL;"
   "CREATE TABLE gates ("
   "  id TEXT PRIMARY KEY,"
   "  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
   "  lat REAL, lng REAL, zone TEXT,"
   "  created_at TEXT NOT NULL,"
   "  updated_at TEXT NOT NULL"
   ");"
   "ALTER TABLE stages ADD COLUMN zone TEXT;"),
  /* 10: finance (issue 19).
   *  - closures: the legal DAY/MONTH/YEAR closures, append-only like the ledger, each hash-chained
   *    to the previous one (seq order). totals is canonical JSON text (VAT rates, payment methods).
   *  - shifts: a till's shift, opened with a float and closed with the counted cash; owner is
   *    "device:<id>" or "account:<id>", one open shift each. expected_cash = opening_float + cash
   *    recharges − cash payouts of the owner during the shift, stored at the close.
   *  - reports read every line of a period through idx_transactions_created: no new index. */
  ("CREATE TABLE closures ("
   "  seq INTEGER PRIMARY KEY,"
   "  id TEXT NOT NULL UNIQUE,"
   "  period TEXT NOT NULL CHECK (period IN ('DAY','MONTH','YEAR')),"
   "  date TEXT NOT NULL,"                             /* 2026-07-10, 2026-07, 2026 (festival zone) */
   "  starts_at TEXT NOT NULL,"                        /* UTC bounds of the period: [starts_at, ends_at) */
   "  ends_at TEXT NOT NULL,"
   "  transaction_count INTEGER NOT NULL,"
   "  sales_total INTEGER NOT NULL,"
   "  grand_total INTEGER NOT NULL,"                   /* perpetual: Σ sales_total of every DAY closure */
   "  totals TEXT NOT NULL,"
   "  last_transaction_seq INTEGER,"                   /* the ledger's last row when closed (NULL: empty) */
   "  last_transaction_id TEXT,"
   "  last_transaction_hash TEXT,"
   "  closed_by TEXT,"
   "  created_at TEXT NOT NULL,"
   "  prev_hash TEXT NOT NULL,"
   "  hash TEXT NOT NULL,"
   "  UNIQUE (period, date)"
   ");"
   "CREATE TRIGGER closures_no_update BEFORE UPDATE ON closures"
   " BEGIN SELECT RAISE(ABORT, 'closures are append-only'); END;"
   "CREATE TRIGGER closures_no_delete BEFORE DELETE ON closures"
   " BEGIN SELECT RAISE(ABORT, 'closures are append-only'); END;"
   "CREATE TABLE shifts ("
   "  id TEXT PRIMARY KEY,"
   "  stand_id TEXT NOT NULL REFERENCES stands(id),"
   "  owner TEXT NOT NULL,"
   "  device_id TEXT,"
   "  operator_id TEXT,"
   "  opening_float INTEGER NOT NULL CHECK (opening_float >= 0),"
   "  opened_at TEXT NOT NULL,"
   "  closed_at TEXT,"
   "  counted_cash INTEGER,"
   "  cash_recharges INTEGER,"
   "  cash_payouts INTEGER,"
   "  expected_cash INTEGER,"
   "  difference INTEGER,"
   "  note TEXT,"
   "  closed_by TEXT,"
   "  created_at TEXT NOT NULL,"
   "  updated_at TEXT NOT NULL"
   ");"
   "CREATE UNIQUE INDEX idx_shifts_open ON shifts(owner) WHERE closed_at IS NULL;"
   "CREATE INDEX idx_shifts_stand ON shifts(stand_id, opened_at);"
   "CREATE INDEX idx_transactions_device_all ON transactions(device_id, created_at) WHERE device_id IS NOT NULL;"),
  /* 11: a shift counts the ledger rows committed after it opened (seq), not those stamped after
   *     its opening time: two writes in the same millisecond, or a station clock off by a minute,
   *     moved a recharge across the opening. Existing shifts take the last row before their
   *     opening time. The till's rows are found by owner, then by seq. */
  ("ALTER TABLE shifts ADD COLUMN opened_seq INTEGER NOT NULL DEFAULT 0;"
   "UPDATE shifts SET opened_seq ="
   " (SELECT COALESCE(MAX(seq), 0) FROM transactions WHERE transactions.created_at < shifts.opened_at);"
   "DROP INDEX idx_transactions_device_all;"
   "CREATE INDEX idx_transactions_device_all ON transactions(device_id, seq) WHERE device_id IS NOT NULL;"
   "CREATE INDEX idx_transactions_operator_all ON transactions(operator_id, seq)"
   " WHERE device_id IS NULL AND operator_id IS NOT NULL;"),
  /* 12: what the finance reports read instead of every line of the period (issue 19: ≤ 500 ms on
   *     a million transactions). Like stats_transactions (3), hourly sums of the ledger rows up to
   *     report_checkpoint.transactions_seq, folded in by the ledger's writes and by a write job
   *     (fest-reports.c); a report adds the rows after the checkpoint and reads the partial hours
   *     at its bounds from the lines. The ledger is append-only, so a folded hour never changes;
   *     an offline row stamped in a past hour is folded into that hour when it arrives.
   *  - report_sales: the lines of PAYMENT and CANCEL rows (a CANCEL's count negative) per hour
   *    (UTC, "2026-07-10T21"), stand (a CANCEL without one at its payment's), operator, product
   *    and VAT rate; '' for none.
   *  - report_ledger: rows and signed amounts per hour, type and payment method ('' but for
   *    RECHARGE, NULL read as CASH). */
  ("CREATE TABLE report_sales ("
   "  hour TEXT NOT NULL,"
   "  stand_id TEXT NOT NULL,"
   "  operator_id TEXT NOT NULL,"
   "  product_id TEXT NOT NULL,"
   "  vat_rate_bp INTEGER NOT NULL,"
   "  name TEXT NOT NULL,"                             /* the lines' product name (MAX) */
   "  quantity INTEGER NOT NULL,"
   "  amount INTEGER NOT NULL,"
   "  vat_amount INTEGER NOT NULL,"
   "  PRIMARY KEY (hour, stand_id, operator_id, product_id, vat_rate_bp)"
   ") WITHOUT ROWID;"
   "CREATE TABLE report_ledger ("
   "  hour TEXT NOT NULL,"
   "  type TEXT NOT NULL,"
   "  method TEXT NOT NULL,"
   "  count INTEGER NOT NULL,"
   "  amount INTEGER NOT NULL,"
   "  PRIMARY KEY (hour, type, method)"
   ") WITHOUT ROWID;"
   "CREATE TABLE report_checkpoint ("
   "  id INTEGER PRIMARY KEY CHECK (id = 1),"
   "  transactions_seq INTEGER NOT NULL"
   ");"
   "INSERT INTO report_checkpoint (id, transactions_seq) VALUES (1, 0);"),
  /* 13: the stands and products changed after a rev, as wallets and tickets have it: what
   *     GET /sync/changes reads, and, on PostgreSQL, what a server process reads again of the rows
   *     it keeps when another process wrote the festival (FestKeptTable). */
  ("CREATE INDEX idx_stands_rev ON stands(rev);"
   "CREATE INDEX idx_products_rev ON products(rev);"),
};

const char * const *
fest_festival_schema_get_migrations (guint *n_migrations)
{
  *n_migrations = G_N_ELEMENTS (festival_migrations);
  return festival_migrations;
}
