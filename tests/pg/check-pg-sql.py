#!/usr/bin/env python3
# check-pg-sql.py: the repositories' SQL, as written for SQLite, is accepted by PostgreSQL
#
# Copyright 2026 The Festivals authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: python3 tests/pg/check-pg-sql.py BUILD_DIR
#
# The store's repositories run the same SQL on SQLite and on PostgreSQL (fest-db.h): the
# PostgreSQL driver prepares each statement with ?N rewritten to $N and the parameters' types left
# for PostgreSQL to infer. This check runs every src/server/store/*.c through the C preprocessor
# (with BUILD_DIR's compile_commands.json, so that string macros such as FEST_LEDGER_TX_COLUMNS
# are expanded as the compiler expands them), takes each SQL string literal (adjacent literals
# concatenated) and has PostgreSQL 15 PREPARE it, with search_path festival_test, public for the
# festival repositories and public for the platform's (fest-platform-*.c), after the migrations
# of fest-pg-schema.c. PREPARE parses, resolves names and infers the parameters' types: what fails
# there would fail in the driver; a statement that returns a boolean column fails too (the driver
# reads results as text, and the repositories read such columns as integers: write CASE WHEN … THEN
# 1 ELSE 0 END). SQL assembled at run time (g_string_*, g_strdup_printf) cannot be read as such:
# RUNTIME_SAMPLES assembles it from its pieces as the code does, with every optional part, and the
# pieces are listed. Prints every failure with FILE:LINE and PostgreSQL's error, and exits 1 if
# there is any.

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

# no __pycache__ of pgschema.py in the source tree
sys.dont_write_bytecode = True
from pgschema import SOURCE_ROOT, Cluster, c_tokens_at, migrate, pg_migrations

STORE_DIR = os.path.join(SOURCE_ROOT, 'src', 'server', 'store')
FESTIVAL_SEARCH_PATH = 'festival_test, public'
PLATFORM_SEARCH_PATH = 'public'

# Files whose SQL is not the repositories' and never runs on PostgreSQL.
NOT_CHECKED_FILES = {
    # the SQLite schema and its migrations (PostgreSQL's are fest-pg-schema.c)
    'fest-festival-schema.c',
    'fest-pg-schema.c',
    # the SQLite driver of fest-db.h, and the SQLite connections' setup
    'fest-db.c',
    'fest-store-sqlite.c',
    'fest-store-check.c',
    'fest-wal-vfs.c',
    # the site plan: an MBTiles file (SQLite by definition), not the store's database
    'fest-tiles-repo.c',
}

# Statements that are SQLite's by design, with why; the PostgreSQL driver does not run them (it
# has its own way to do the same) or the code path is SQLite's only. (file, regular expression
# matched against the statement's start).
SQLITE_ONLY = [
    # connection settings and checks of SQLite (journal, cache, temp store, integrity)
    (None, r'PRAGMA\b'),
    # SQLite's write lock taken up front (alone, or opening the writer's batch in
    # fest-festival-writer.c); PostgreSQL has no BEGIN IMMEDIATE: its driver begins its own way
    (None, r'BEGIN IMMEDIATE\b'),
    # the SQLite migrations of the platform database (PostgreSQL's are fest-pg-schema.c)
    ('fest-platform-store.c', r'(CREATE|ALTER|DROP) (TABLE|INDEX|UNIQUE INDEX|TRIGGER)\b'),
    # --import-sqlite lists the SQLite file's tables (it reads the file, never PostgreSQL, with them)
    ('fest-store-import.c', r'SELECT name FROM sqlite_master\b'),
]

# Calls whose string arguments are pieces of SQL assembled at run time.
RUNTIME_BUILDERS = {'g_string_new', 'g_string_append', 'g_string_append_printf', 'g_string_printf',
                    'g_strdup_printf', 'g_strconcat', 'g_string_prepend', 'g_string_insert'}

# A piece of a statement assembled at run time.
SQL_PIECE = re.compile(r'\?%u|\bAND\b|\bWHERE\b|^TRUE$')

SQL_START = re.compile(r'\s*(SELECT|INSERT|UPDATE|DELETE|WITH|REPLACE|VALUES|CREATE|DROP|ALTER|PRAGMA|BEGIN'
                       r'|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|END|VACUUM|ANALYZE|ATTACH|DETACH)\b')
DML_START = re.compile(r'\s*(SELECT|INSERT|UPDATE|DELETE|WITH|VALUES)\b')


def preprocess(entry):
    """The output of the C preprocessor for compile_commands.json's ENTRY."""
    argv = shlex.split(entry['command'])
    if argv[0] == 'ccache':
        argv = argv[1:]
    out = [argv[0], '-E']
    skip = False
    for arg in argv[1:]:
        if skip:
            skip = False
        elif arg in ('-o', '-MQ', '-MF', '-MT'):
            skip = True
        elif arg in ('-c', '-MD', '-MMD') or arg.startswith('-fdiagnostics-color'):
            pass
        else:
            out.append(arg)
    r = subprocess.run(out, cwd=entry['directory'], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
    if r.returncode != 0:
        raise RuntimeError('%s: the preprocessor failed:\n%s' % (entry['file'], r.stderr))
    return r.stdout


def enclosing_call(tokens, k):
    """The name of the function whose argument list holds tokens[k], or None."""
    depth = 0
    for j in range(k - 1, -1, -1):
        kind, value = tokens[j][0], tokens[j][1]
        if kind != 'punct':
            continue
        if value in (')', ']', '}'):
            depth += 1
        elif value in ('(', '[', '{'):
            if depth == 0:
                if value == '(' and j > 0 and tokens[j - 1][0] == 'ident':
                    return tokens[j - 1][1]
                return None
            depth -= 1
        elif value == ';' and depth == 0:
            return None
    return None


def sql_strings(entry):
    """(line, sql, runtime) of the SQL string literals of ENTRY's file: runtime when the string is
    a piece given to a g_string_* (or similar) call."""
    source = os.path.realpath(os.path.join(entry['directory'], entry['file']))
    tokens = list(c_tokens_at(preprocess(entry)))
    found = []
    k = 0
    while k < len(tokens):
        if tokens[k][0] != 'str':
            k += 1
            continue
        start = k
        while k < len(tokens) and tokens[k][0] == 'str':
            k += 1
        path, line = tokens[start][2], tokens[start][3]
        if path is None or os.path.realpath(os.path.join(entry['directory'], path)) != source:
            continue
        text = ''.join(t[1] for t in tokens[start:k])
        runtime = enclosing_call(tokens, start) in RUNTIME_BUILDERS
        if SQL_START.match(text) or (runtime and SQL_PIECE.search(text)):
            found.append((line, text, runtime))
    return found


def runtime_samples(pieces):
    """(file:line, file name, SQL) of the statements assembled at run time, built from PIECES (file
    name: [(line, text)] of the pieces given to g_string_* and g_strdup_printf) as the code builds
    them, with every optional condition on."""
    def piece(name, start):
        for line, text in pieces.get(name, []):
            if text.startswith(start):
                return line, text
        raise ValueError('%s: no piece starting %r: update runtime_samples()' % (name, start))

    def where(name, start, values):
        """NAME's WHERE clause: START, then each condition piece formatted with the next of VALUES
        (a tuple) and the next parameter number; a lone condition piece is the body of a loop over
        VALUES."""
        text = piece(name, start)[1]
        conditions = [more for _, more in pieces[name] if '?%u' in more]
        if len(conditions) == 1:
            conditions *= len(values)
        if len(conditions) != len(values):
            raise ValueError('%s: %d conditions, %d expected: update runtime_samples()'
                             % (name, len(conditions), len(values)))
        for n, (more, value) in enumerate(zip(conditions, values), 1):
            text += more % (value + (n,))
        return text, len(values)

    samples = []
    count_line, count_sql = piece('fest-store-page.c', 'SELECT COUNT(*) FROM %s WHERE %s')
    page_line, page_sql = piece('fest-store-page.c', 'SELECT %s FROM %s WHERE %s ORDER BY')
    # _fest_store_prepare_page() for fest_ledger_repo_list() and fest_audit_repo_list()
    for name, table, values in (('fest-ledger-repo.c', 'transactions', ((),) * 8),
                                ('fest-audit-repo.c', 'audit_log',
                                 (('entity_type',), ('entity_id',), ('actor_id',), ('action',)))):
        condition, n = where(name, 'TRUE', values)
        label = 'src/server/store/fest-store-page.c:%d (for %s)' % (count_line, name)
        samples.append((label, name, count_sql % (table, condition)))
        label = 'src/server/store/fest-store-page.c:%d (for %s)' % (page_line, name)
        samples.append((label, name, page_sql % ('*', table, condition, n + 1, n + 2)))
    # fest_lineup_repo_find_overlap(): by stage or by artist
    line, sql = piece('fest-lineup-repo.c', 'SELECT id FROM slots WHERE %s')
    for column in ('stage_id', 'artist_id'):
        samples.append(('src/server/store/fest-lineup-repo.c:%d (%s)' % (line, column), 'fest-lineup-repo.c',
                        sql % column))
    # fest_write_ctx_fold_ledger() for the reports and the statistics
    for start in ('SELECT (SELECT transactions_seq FROM %s', 'UPDATE %s SET transactions_seq'):
        line, sql = piece('fest-write-ctx.c', start)
        for table in ('report_checkpoint', 'stats_checkpoint'):
            samples.append(('src/server/store/fest-write-ctx.c:%d (%s)' % (line, table), 'fest-write-ctx.c',
                            sql % table))
    return samples


def split_statements(sql):
    """The statements of SQL (fest_db_exec() runs several), split at semicolons outside quotes."""
    parts = re.split(r"('(?:[^']|'')*'|\"(?:[^\"]|\"\")*\")", sql)
    statements = ['']
    for i, part in enumerate(parts):
        if i % 2:
            statements[-1] += part
            continue
        pieces = part.split(';')
        statements[-1] += pieces[0]
        statements.extend(pieces[1:])
    return [s for s in statements if s.strip()]


def sqlite_only(name, sql):
    for file_name, pattern in SQLITE_ONLY:
        if (file_name is None or file_name == name) and re.match(r'\s*' + pattern, sql):
            return True
    return False


def to_pg(sql):
    """SQL with ?N as $N (outside quoted literals and identifiers), and the numbers it uses."""
    parts = re.split(r"('(?:[^']|'')*'|\"(?:[^\"]|\"\")*\")", sql)
    numbers = set()
    for i in range(0, len(parts), 2):
        if re.search(r'\?(?!\d)', parts[i]):
            raise ValueError('an unnumbered parameter (?): write ?N')
        numbers.update(int(n) for n in re.findall(r'\?(\d+)', parts[i]))
        parts[i] = re.sub(r'\?(\d+)', r'$\1', parts[i])
    return ''.join(parts).strip().rstrip(';'), numbers


def check_statement(cluster, search_path, sql):
    """PostgreSQL's error for SQL, or None. A statement with rows or changes is PREPAREd; the
    others (transaction control) are run in a transaction that is rolled back."""
    pg_sql, numbers = to_pg(sql)
    if DML_START.match(pg_sql):
        # Numbers the SQL skips have no use to infer a type from: declared text here, as the driver
        # must declare them (PostgreSQL refuses a parameter of no type).
        types = ''
        if numbers:
            types = ' (%s)' % ', '.join('unknown' if n in numbers else 'text'
                                        for n in range(1, max(numbers) + 1))
        script = 'PREPARE fest_check%s AS %s;\n' % (types, pg_sql)
        # and psql's \gdesc names the result's types; it needs every number used: a query that
        # skips some is described from a query around it that uses them
        described = pg_sql
        missing = [n for n in range(1, max(numbers or [0]) + 1) if n not in numbers]
        if missing and re.match(r'\s*(SELECT|WITH)\b', pg_sql):
            described = 'SELECT * FROM (%s) AS fest_q WHERE %s' % (
                pg_sql, ' AND '.join('(CAST($%d AS TEXT) IS NULL OR TRUE)' % n for n in missing))
        elif missing and re.search(r'\bRETURNING\b', pg_sql):
            raise ValueError('parameters %s skipped in a statement with RETURNING: cannot describe it' % missing)
        elif missing:
            described = None   # no result to describe
        if described is not None:
            script += '%s \\gdesc\n' % described
    else:
        # RELEASE and ROLLBACK TO need their savepoint
        savepoint = re.match(r'(?:RELEASE|ROLLBACK TO)\s+(?:SAVEPOINT\s+)?(\w+)$', pg_sql, re.I)
        script = 'BEGIN;\n%s%s;\nROLLBACK;\n' % ('SAVEPOINT %s;\n' % savepoint.group(1) if savepoint else '',
                                                pg_sql)
    ok, rows, error = cluster.psql(script, search_path=search_path, check=False)
    if not ok:
        return error
    if any(len(row) == 2 and row[1] == 'boolean' for row in rows):
        return 'a column of the result is a boolean: the driver reads it as text (write CASE WHEN … THEN 1 ELSE 0 END)'
    return None


def main():
    if len(sys.argv) != 2:
        print('Usage: %s BUILD_DIR' % sys.argv[0], file=sys.stderr)
        return 2
    build_dir = os.path.abspath(sys.argv[1])
    with open(os.path.join(build_dir, 'compile_commands.json'), encoding='utf-8') as f:
        entries = json.load(f)
    store = os.path.realpath(STORE_DIR)
    entries = [e for e in entries
               if os.path.dirname(os.path.realpath(os.path.join(e['directory'], e['file']))) == store
               and os.path.basename(e['file']) not in NOT_CHECKED_FILES]
    seen = set()
    statements = []
    runtime = []
    pieces = {}
    for entry in sorted(entries, key=lambda e: os.path.basename(e['file'])):
        name = os.path.basename(entry['file'])
        if name in seen:
            continue
        seen.add(name)
        for line, sql, built in sql_strings(entry):
            where = 'src/server/store/%s:%d' % (name, line)
            if built:
                runtime.append((where, sql))
                pieces.setdefault(name, []).append((line, sql))
                continue
            for statement in split_statements(sql):
                if sqlite_only(name, statement):
                    print('SQLite only (allowed): %s: %s' % (where, ' '.join(statement.split())[:70]))
                else:
                    statements.append((where, name, statement))
    if not statements:
        print('no SQL found in %s' % STORE_DIR)
        return 1
    samples = runtime_samples(pieces)
    statements += samples

    platform_migrations, festival_migrations, migrations_table_sql = pg_migrations()
    failures = []
    base = tempfile.mkdtemp(prefix='fest-pg-sql-')
    cluster = Cluster(base)
    try:
        os.chmod(base, 0o700)
        cluster.start()
        migrate(cluster, 'public', platform_migrations, migrations_table_sql)
        migrate(cluster, 'festival_test', festival_migrations, migrations_table_sql)
        for where, name, sql in statements:
            search_path = PLATFORM_SEARCH_PATH if name.startswith('fest-platform-') else FESTIVAL_SEARCH_PATH
            try:
                error = check_statement(cluster, search_path, sql)
            except ValueError as e:
                error = str(e)
            if error is not None:
                error = re.sub(r'^psql:<stdin>:\d+: ', '', error, flags=re.M)
                failures.append(where)
                print('FAIL: %s: %s\n    %s' % (where, error.replace('\n', '\n    '), ' '.join(sql.split())))
    finally:
        cluster.stop()
        shutil.rmtree(base, ignore_errors=True)

    for where, sql in runtime:
        print('a piece of SQL built at run time: %s: %s' % (where, ' '.join(sql.split())[:70]))
    print('%d statements checked (%d of them assembled from the pieces built at run time), %d failed'
          % (len(statements), len(samples), len(failures)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
