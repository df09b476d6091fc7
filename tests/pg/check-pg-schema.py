#!/usr/bin/env python3
# check-pg-schema.py: the PostgreSQL schema (fest-pg-schema.c) against the SQLite one
#
# Copyright 2026 The Festivals authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: python3 tests/pg/check-pg-schema.py BUILD_DIR
#
# Starts a throw-away PostgreSQL 15 cluster (initdb as the postgres user when run as root, a free
# port on 127.0.0.1, its socket in the temporary directory), applies the platform migrations to
# public and the festival migrations to schema festival_test the way the store's runner will (one
# transaction, advisory lock, schema_migrations), and has BUILD_DIR's festivals-server make real
# SQLite databases (--demo). Then compares them table by table: tables, columns (order, type,
# NOT NULL, DEFAULT, collation), primary keys and UNIQUE constraints, indexes (columns, unique,
# partial predicate), foreign keys, CHECK counts and triggers; and checks in PostgreSQL that the
# ledger and the closures refuse UPDATE, DELETE and TRUNCATE but take INSERT. Prints every
# mismatch and exits 1 if there is any. The cluster is stopped and removed whatever happens.
# Only the standard library, psql and the PostgreSQL server binaries.

import glob
import os
import pwd
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

# no __pycache__ of pgschema.py in the source tree
sys.dont_write_bytecode = True
from pgschema import (PG_SCHEMA_C, SOURCE_ROOT, Cluster, migrate, migrate_together, pg_migrations,
                      quote_ident)

FESTIVAL_SCHEMA = 'festival_test'


# SQLite's declared types and what the PostgreSQL schema uses for them.
TYPE_MAP = {
    'INTEGER': 'bigint',
    'TEXT': 'text',
    'REAL': 'double precision',
    'BLOB': 'bytea',
}

mismatches = []


def mismatch(text):
    mismatches.append(text)
    print('MISMATCH: ' + text)


# ---------------------------------------------------------------------------------------------
# The SQLite databases

def make_sqlite_databases(build_dir, data_dir):
    server = os.path.join(build_dir, 'src', 'server', 'festivals-server')
    if not os.access(server, os.X_OK):
        raise RuntimeError('%s: not built' % server)
    log_path = os.path.join(os.path.dirname(data_dir), 'server.log')
    with open(log_path, 'w') as log:
        proc = subprocess.Popen([server, '--data-dir', data_dir, '--demo', '--listen', '127.0.0.1:0',
                                 '--no-rate-limit'], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            with open(log_path) as log:
                if 'listening on' in log.read():
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                with open(log_path) as log:
                    raise RuntimeError('festivals-server --demo did not start:\n' + log.read())
            time.sleep(0.2)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    platform = os.path.join(data_dir, 'platform.db')
    festivals = sorted(glob.glob(os.path.join(data_dir, 'festival-*.db')))
    if not os.path.exists(platform) or not festivals:
        raise RuntimeError('%s: no platform.db or festival database' % data_dir)
    return platform, festivals[0]


def sqlite_schema(path):
    db = sqlite3.connect('file:%s?mode=ro' % path, uri=True)
    tables = {}
    for name, sql in db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"
                                " AND name NOT LIKE 'sqlite_%' ORDER BY name"):
        columns = [dict(name=r[1], type=r[2].upper(), notnull=bool(r[3]), default=r[4], pk=r[5])
                   for r in db.execute('PRAGMA table_info(%s)' % quote_ident(name))]
        without_rowid = re.search(r'\)\s*WITHOUT\s+ROWID\s*$', sql, re.I) is not None
        pk = [c['name'] for c in sorted((c for c in columns if c['pk']), key=lambda c: c['pk'])]
        # INTEGER PRIMARY KEY: an alias of the rowid, numbered by SQLite, with no index of its own
        rowid_alias = (not without_rowid and len(pk) == 1
                       and next(c for c in columns if c['name'] == pk[0])['type'] == 'INTEGER')
        keys = []
        indexes = {}
        if rowid_alias:
            keys.append(('pk', tuple(pk)))
        for _, iname, unique, origin, partial in db.execute('PRAGMA index_list(%s)' % quote_ident(name)):
            cols = tuple(r[2] for r in db.execute('PRAGMA index_info(%s)' % quote_ident(iname)))
            if origin in ('pk', 'u'):
                keys.append((origin, cols))
            else:
                isql = db.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?",
                                  (iname,)).fetchone()[0]
                m = re.search(r'\bWHERE\b(.*)$', isql, re.I | re.S)
                indexes[iname] = dict(unique=bool(unique), columns=cols,
                                      predicate=normalise_predicate(m.group(1)) if m else None)
        fks = sorted((r[2], r[3], r[4]) for r in db.execute('PRAGMA foreign_key_list(%s)' % quote_ident(name)))
        # a column declared "... COLLATE NOCASE" (the only collation the schema uses)
        nocase = set()
        body = sql[sql.index('(') + 1:]
        for definition in split_definitions(body):
            m = re.match(r'\s*(\w+)\s', definition)
            if m and re.search(r'\bCOLLATE\s+NOCASE\b', definition, re.I):
                nocase.add(m.group(1))
        tables[name] = dict(columns=columns, without_rowid=without_rowid, rowid_alias=pk[0] if rowid_alias else None,
                            keys=sorted(keys), indexes=indexes, fks=fks, nocase=nocase,
                            checks=len(re.findall(r'\bCHECK\s*\(', sql, re.I)))
    triggers = sorted(db.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'"))
    db.close()
    return tables, triggers


def split_definitions(body):
    """The comma-separated column and constraint definitions of a CREATE TABLE's body."""
    parts, depth, current, quote = [], 0, [], False
    for c in body:
        if c == "'":
            quote = not quote
        elif not quote and c == '(':
            depth += 1
        elif not quote and c == ')':
            if depth == 0:
                break
            depth -= 1
        elif not quote and c == ',' and depth == 0:
            parts.append(''.join(current))
            current = []
            continue
        current.append(c)
    parts.append(''.join(current))
    return parts


def normalise_predicate(text):
    text = re.sub(r"::[a-z ]+?(?=[\s)]|$)", '', text.strip())
    text = text.replace('(', ' ').replace(')', ' ')
    return re.sub(r'\s+', ' ', text).strip().lower()


def normalise_default(text):
    if text is None:
        return None
    text = re.sub(r"::[a-z ]+$", '', text.strip())
    return text


# ---------------------------------------------------------------------------------------------
# The PostgreSQL schema

def pg_schema(cluster, schema):
    lit = "'%s'" % schema
    _, rows, _ = cluster.psql("SELECT table_name FROM information_schema.tables WHERE table_schema = %s"
                              " AND table_type = 'BASE TABLE' ORDER BY table_name;" % lit)
    tables = {r[0]: dict(columns=[], keys=[], indexes={}, fks=[], checks=0, nocase=set()) for r in rows}
    _, rows, _ = cluster.psql(
        "SELECT table_name, column_name, data_type, is_nullable, COALESCE (column_default, '\\N'),"
        " is_identity, COALESCE (identity_generation, ''), COALESCE (collation_name, '')"
        " FROM information_schema.columns WHERE table_schema = %s ORDER BY table_name, ordinal_position;" % lit)
    for t, col, typ, nullable, default, identity, generation, collation in rows:
        tables[t]['columns'].append(dict(name=col, type=typ, notnull=nullable == 'NO',
                                         default=None if default == '\\N' else default,
                                         identity=generation if identity == 'YES' else None))
        if collation == 'nocase':
            tables[t]['nocase'].add(col)
    _, rows, _ = cluster.psql(
        "SELECT t.relname, i.relname, ix.indisunique, ix.indisprimary,"
        " COALESCE ((SELECT contype::text FROM pg_constraint WHERE conindid = ix.indexrelid AND contype IN ('p', 'u')), ''),"
        " array_to_string (ARRAY (SELECT pg_get_indexdef (ix.indexrelid, k, true)"
        "   FROM generate_series (1, ix.indnkeyatts) k ORDER BY k), ','),"
        " COALESCE (pg_get_expr (ix.indpred, ix.indrelid), '\\N')"
        " FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid"
        " JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = %s ORDER BY 1, 2;" % lit)
    for t, iname, unique, primary, contype, cols, pred in rows:
        cols = tuple(cols.split(','))
        if primary == 't':
            tables[t]['keys'].append(('pk', cols))
        elif contype == 'u':
            tables[t]['keys'].append(('u', cols))
        else:
            tables[t]['indexes'][iname] = dict(unique=unique == 't', columns=cols,
                                               predicate=None if pred == '\\N' else normalise_predicate(pred))
    for t in tables.values():
        t['keys'].sort()
    _, rows, _ = cluster.psql(
        "SELECT c.relname, r.relname,"
        " (SELECT string_agg (a.attname, ',' ORDER BY k.i) FROM unnest (con.conkey) WITH ORDINALITY k (n, i)"
        "   JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n),"
        " (SELECT string_agg (a.attname, ',' ORDER BY k.i) FROM unnest (con.confkey) WITH ORDINALITY k (n, i)"
        "   JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n)"
        " FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_class r ON r.oid = con.confrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE con.contype = 'f' AND n.nspname = %s;" % lit)
    for t, ref, cols, refcols in rows:
        tables[t]['fks'].append((ref, cols, refcols))
    for t in tables.values():
        t['fks'].sort()
    _, rows, _ = cluster.psql(
        "SELECT c.relname, count (*) FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE con.contype = 'c' AND n.nspname = %s"
        " GROUP BY 1;" % lit)
    for t, count in rows:
        tables[t]['checks'] = int(count)
    _, rows, _ = cluster.psql(
        "SELECT c.relname, tg.tgname FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT tg.tgisinternal AND n.nspname = %s"
        " ORDER BY 1, 2;" % lit)
    triggers = sorted(tuple(r) for r in rows)
    return tables, triggers


# ---------------------------------------------------------------------------------------------
# Comparison

def compare(label, lite, lite_triggers, pg, pg_triggers):
    print('== %s' % label)
    pg = {k: v for k, v in pg.items() if k != 'schema_migrations'}
    for t in sorted(set(lite) - set(pg)):
        mismatch('%s: table %s missing in PostgreSQL' % (label, t))
    for t in sorted(set(pg) - set(lite)):
        mismatch('%s: table %s only in PostgreSQL' % (label, t))
    with_rowid = []
    identities = []
    for t in sorted(set(lite) & set(pg)):
        lt, pt = lite[t], pg[t]
        where = '%s: %s' % (label, t)
        pcols = list(pt['columns'])
        # the explicit rowid column standing for SQLite's implicit one (fest-pg-schema.h)
        if pcols and pcols[-1]['name'] == 'rowid' and all(c['name'] != 'rowid' for c in lt['columns']):
            extra = pcols.pop()
            with_rowid.append(t)
            if lt['without_rowid'] or lt['rowid_alias']:
                mismatch('%s: rowid column, but the SQLite table has no implicit rowid' % where)
            if extra['type'] != 'bigint' or extra['identity'] != 'ALWAYS':
                mismatch('%s: rowid is not bigint GENERATED ALWAYS AS IDENTITY' % where)
        lnames = [c['name'] for c in lt['columns']]
        pnames = [c['name'] for c in pcols]
        if lnames != pnames:
            mismatch('%s: columns differ\n    sqlite:     %s\n    postgresql: %s'
                     % (where, ', '.join(lnames), ', '.join(pnames)))
        for lc, pc in zip(lt['columns'], pcols):
            if lc['name'] != pc['name']:
                break
            cw = '%s.%s' % (where, lc['name'])
            want = TYPE_MAP.get(lc['type'])
            if want != pc['type']:
                mismatch('%s: type %s in SQLite, %s in PostgreSQL (want %s)' % (cw, lc['type'], pc['type'], want))
            if (lc['notnull'] or lc['pk'] > 0) != pc['notnull']:
                mismatch('%s: NOT NULL %s in SQLite, %s in PostgreSQL' % (cw, lc['notnull'], pc['notnull']))
            if normalise_default(lc['default']) != normalise_default(pc['default']):
                mismatch('%s: DEFAULT %s in SQLite, %s in PostgreSQL' % (cw, lc['default'], pc['default']))
            if pc['identity'] is not None:
                identities.append('%s.%s' % (t, pc['name']))
                if lt['rowid_alias'] != lc['name']:
                    mismatch('%s: identity column, but not an INTEGER PRIMARY KEY in SQLite' % cw)
        if lt['nocase'] != pt['nocase']:
            mismatch('%s: COLLATE NOCASE columns %s in SQLite, collation nocase on %s in PostgreSQL'
                     % (where, sorted(lt['nocase']), sorted(pt['nocase'])))
        if lt['keys'] != pt['keys']:
            mismatch('%s: primary key and UNIQUE constraints differ\n    sqlite:     %s\n    postgresql: %s'
                     % (where, lt['keys'], pt['keys']))
        for name in sorted(set(lt['indexes']) | set(pt['indexes'])):
            li, pi = lt['indexes'].get(name), pt['indexes'].get(name)
            if li is None:
                mismatch('%s: index %s only in PostgreSQL' % (where, name))
            elif pi is None:
                mismatch('%s: index %s missing in PostgreSQL' % (where, name))
            elif li != pi:
                mismatch('%s: index %s differs\n    sqlite:     %s\n    postgresql: %s' % (where, name, li, pi))
        lfks = sorted((ref, frm, to) for ref, frm, to in lt['fks'])
        if lfks != pt['fks']:
            mismatch('%s: foreign keys differ\n    sqlite:     %s\n    postgresql: %s' % (where, lfks, pt['fks']))
        if lt['checks'] != pt['checks']:
            mismatch('%s: %d CHECK constraints in SQLite, %d in PostgreSQL' % (where, lt['checks'], pt['checks']))
    missing = sorted(set(lite_triggers) - set(pg_triggers))
    for t, name in missing:
        mismatch('%s: trigger %s on %s missing in PostgreSQL' % (label, name, t))
    n_indexes = sum(len(v['indexes']) for v in lite.values())
    print('   %d tables, %d columns, %d named indexes, %d triggers compared'
          % (len(lite), sum(len(v['columns']) for v in lite.values()), n_indexes, len(lite_triggers)))
    print('   rowid column added to: %s' % (', '.join(with_rowid) or '-'))
    print('   identity columns: %s' % (', '.join(identities) or '-'))
    print('   triggers only in PostgreSQL: %s'
          % (', '.join('%s.%s' % x for x in sorted(set(pg_triggers) - set(lite_triggers))) or '-'))


# ---------------------------------------------------------------------------------------------
# Behaviour

def expect(cluster, what, sql, ok, message=None, search_path=None, rows=None, dbname='postgres'):
    good, got, error = cluster.psql(sql, search_path=search_path, check=False, dbname=dbname)
    if good != ok or (message is not None and message not in error) or (rows is not None and got != rows):
        mismatch('%s: expected %s%s%s, got %s %s %s'
                 % (what, 'success' if ok else 'failure', ' "%s"' % message if message else '',
                    ' rows %s' % rows if rows is not None else '', 'success' if good else 'failure', got, error))
    else:
        print('ok: %s%s' % (what, ' (%s)' % error.replace('\n', ' ') if error else ''))


def check_behaviour(cluster, platform_migrations):
    print('== behaviour (PostgreSQL)')
    f = quote_ident(FESTIVAL_SCHEMA)
    wallet = ("INSERT INTO wallets (id, code, balance, rev, created_at, updated_at)"
              " VALUES ('w1', 'FW1.X', 0, 1, 't', 't');")
    tx = ("INSERT INTO transactions (id, wallet_id, type, amount, balance_after, idempotency_key, created_at,"
          " recorded_at, prev_hash, hash) VALUES ('%s', 'w1', 'RECHARGE', 100, 100, 'k-%s', 't', 't', 'p', 'h')"
          " RETURNING seq;")
    expect(cluster, 'INSERT a wallet and a ledger row (seq from the identity)', wallet + tx % ('t1', 't1'), True,
           search_path=f, rows=[['1']])
    expect(cluster, 'INSERT a ledger line',
           "INSERT INTO transaction_lines (transaction_id, line_no, product_id, name, quantity, unit_price,"
           " vat_rate_bp, vat_amount) VALUES ('t1', 1, 'p1', 'Beer', 1, 100, 2000, 17);", True, search_path=f)
    expect(cluster, 'INSERT a second ledger row', tx % ('t2', 't2'), True, search_path=f, rows=[['2']])
    expect(cluster, 'INSERT a closure',
           "INSERT INTO closures (seq, id, period, date, starts_at, ends_at, transaction_count, sales_total,"
           " grand_total, totals, created_at, prev_hash, hash)"
           " VALUES (1, 'c1', 'DAY', '2026-07-10', 'a', 'b', 0, 0, 0, '{}', 't', 'p', 'h');", True, search_path=f)
    for table, where, message in (('transactions', "id = 't1'", 'transactions are append-only'),
                                  ('transaction_lines', "transaction_id = 't1'", 'transactions are append-only'),
                                  ('closures', "id = 'c1'", 'closures are append-only')):
        column = 'hash' if table != 'transaction_lines' else 'name'
        expect(cluster, 'UPDATE %s refused' % table, "UPDATE %s SET %s = 'x' WHERE %s;" % (table, column, where),
               False, message, search_path=f)
        expect(cluster, 'DELETE %s refused' % table, 'DELETE FROM %s WHERE %s;' % (table, where), False, message,
               search_path=f)
        expect(cluster, 'TRUNCATE %s refused' % table, 'TRUNCATE %s CASCADE;' % table, False, message,
               search_path=f)
    expect(cluster, 'the ledger is intact', 'SELECT count (*) FROM transactions;', True, search_path=f,
           rows=[['2']])
    expect(cluster, 'the append-only error is SQLSTATE 23000',
           "DO $$ BEGIN UPDATE transactions SET hash = 'x';"
           " EXCEPTION WHEN integrity_constraint_violation THEN RAISE NOTICE 'class 23'; END $$;",
           True, 'class 23', search_path=f)
    expect(cluster, 'a CHECK holds (transactions.type)', tx.replace("'RECHARGE'", "'GIFT'") % ('t3', 't3'), False,
           'transactions_type_check', search_path=f)
    expect(cluster, 'a foreign key holds (transactions.wallet_id)', tx.replace("'w1'", "'nope'") % ('t4', 't4'),
           False, 'foreign key', search_path=f)
    expect(cluster, 'gates.name is UNIQUE without regard to case',
           "INSERT INTO gates (id, name, created_at, updated_at) VALUES ('g1', 'North Gate', 't', 't');"
           "INSERT INTO gates (id, name, created_at, updated_at) VALUES ('g2', 'NORTH gate', 't', 't');",
           False, 'duplicate key', search_path=f)
    expect(cluster, 'gates: name = ?1 matches whatever the case (COLLATE NOCASE)',
           "SELECT id FROM gates WHERE name = 'north GATE';", True, search_path=f, rows=[['g1']])
    expect(cluster, 'the repositories\' ORDER BY name COLLATE NOCASE, rowid runs unchanged',
           "INSERT INTO stages (id, name, created_at, updated_at) VALUES ('s1', 'b', 't', 't'), ('s2', 'A', 't', 't'),"
           " ('s3', 'a', 't', 't');"
           "SELECT id FROM stages ORDER BY name COLLATE NOCASE, rowid LIMIT 3 OFFSET 0;", True, search_path=f,
           rows=[['s2'], ['s3'], ['s1']])
    expect(cluster, 'accounts.email: lookup without regard to case',
           "INSERT INTO accounts (id, email, name, password_hash, created_at)"
           " VALUES ('a1', 'Root@Example.org', 'Root', 'x', 't');"
           "SELECT id FROM accounts WHERE email = 'root@example.ORG';", True, search_path='public', rows=[['a1']])
    expect(cluster, 'tokens: exactly one of account_id and device_id (CHECK)',
           "INSERT INTO tokens (hash, kind, created_at) VALUES ('h', 'session', 't');", False, 'tokens_check',
           search_path='public')
    cluster.psql("CREATE DATABASE icu_order TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'und' LOCALE 'C';")
    expect(cluster, 'a database that does not sort text in byte order is refused', platform_migrations[0], False,
           'Festivals needs byte order', dbname='icu_order')


def main():
    if len(sys.argv) != 2:
        print('Usage: %s BUILD_DIR' % sys.argv[0], file=sys.stderr)
        return 2
    build_dir = os.path.abspath(sys.argv[1])
    platform_migrations, festival_migrations, migrations_table_sql = pg_migrations()
    print('%s: %d platform, %d festival migrations' % (os.path.relpath(PG_SCHEMA_C, SOURCE_ROOT),
                                                      len(platform_migrations), len(festival_migrations)))
    if os.geteuid() == 0:
        pwd.getpwnam('postgres')

    base = tempfile.mkdtemp(prefix='fest-pg-schema-')
    cluster = Cluster(base)
    try:
        os.chmod(base, 0o700)
        sqlite_dir = os.path.join(base, 'sqlite')
        platform_db, festival_db = make_sqlite_databases(build_dir, sqlite_dir)
        cluster.start()
        print('cluster on port %d, socket in %s' % (cluster.port, base))
        for schema, migrations in (('public', platform_migrations), (FESTIVAL_SCHEMA, festival_migrations)):
            applied = migrate(cluster, schema, migrations, migrations_table_sql)
            again = migrate(cluster, schema, migrations, migrations_table_sql)
            print('%s: %d migrations applied, then %d on a second start' % (schema, applied, again))
            if applied != len(migrations) or again != 0:
                mismatch('%s: the runner applied %d then %d migrations' % (schema, applied, again))
        results = migrate_together(cluster, 'festival_race', festival_migrations, migrations_table_sql, 4)
        print('festival_race: 4 runners at once applied %s' % results)
        if sorted(map(str, results)) != sorted(map(str, [len(festival_migrations), 0, 0, 0])):
            mismatch('festival_race: 4 runners at once applied %s' % results)
        lite, lite_triggers = sqlite_schema(platform_db)
        pg, pg_triggers = pg_schema(cluster, 'public')
        compare('platform', lite, lite_triggers, pg, pg_triggers)
        lite, lite_triggers = sqlite_schema(festival_db)
        pg, pg_triggers = pg_schema(cluster, FESTIVAL_SCHEMA)
        compare('festival', lite, lite_triggers, pg, pg_triggers)
        check_behaviour(cluster, platform_migrations)
    finally:
        cluster.stop()
        shutil.rmtree(base, ignore_errors=True)

    if mismatches:
        print('%d mismatch(es)' % len(mismatches))
        return 1
    print('PostgreSQL schema matches the SQLite schema')
    return 0


if __name__ == '__main__':
    sys.exit(main())
