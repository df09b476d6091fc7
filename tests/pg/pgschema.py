#!/usr/bin/env python3
# pgschema.py: what the PostgreSQL checks of tests/pg share
#
# Copyright 2026 The Festivals authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A reader of C string literals (the migrations of fest-pg-schema.c, the SQL of the repositories),
# a throw-away PostgreSQL 15 cluster (initdb as the postgres user when run as root, a free port on
# 127.0.0.1, its socket in a temporary directory) and the migration runner of the store, run
# through psql. Only the standard library, psql and the PostgreSQL server binaries.

import os
import re
import shutil
import socket
import subprocess
import sys
import threading

PG_BIN = '/usr/lib/postgresql/15/bin'
SOURCE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PG_SCHEMA_C = os.path.join(SOURCE_ROOT, 'src', 'server', 'store', 'fest-pg-schema.c')
PG_SCHEMA_H = os.path.join(SOURCE_ROOT, 'src', 'server', 'store', 'fest-pg-schema.h')


# ---------------------------------------------------------------------------------------------
# C string literals

WORD = re.compile(r'\w+')
HEX_DIGITS = re.compile(r'[0-9a-fA-F]+')
OCTAL_DIGITS = re.compile(r'[0-7]{1,3}')


def c_tokens(text):
    """Tokens of C source: ('str', value), ('ident', name) or ('punct', char); comments and
    preprocessor lines are dropped."""
    for kind, value, _, _ in c_tokens_at(text):
        yield (kind, value)


def c_tokens_at(text, path=None):
    """c_tokens() with where each token starts: (kind, value, path, line). In the output of the C
    preprocessor, its line markers (# LINE "PATH") say where the text came from."""
    i = 0
    n = len(text)
    line = 1
    at_line_start = True
    while i < n:
        c = text[i]
        if c == '\n':
            at_line_start = True
            line += 1
            i += 1
            continue
        if c in ' \t\r':
            i += 1
            continue
        if at_line_start and c == '#':
            # a directive, with its continuation lines
            start = i
            while i < n and text[i] != '\n':
                if text[i] == '\\' and i + 1 < n and text[i + 1] == '\n':
                    line += 1
                    i += 2
                    continue
                i += 1
            marker = re.match(r'#(?:line)?\s+(\d+)\s+"([^"]*)"', text[start:i])
            if marker:
                # the next line is MARKER's
                line = int(marker.group(1)) - 1
                path = marker.group(2)
            continue
        at_line_start = False
        if text.startswith('/*', i):
            end = text.find('*/', i + 2)
            if end < 0:
                raise ValueError('unterminated comment')
            line += text.count('\n', i, end)
            i = end + 2
        elif text.startswith('//', i):
            while i < n and text[i] != '\n':
                i += 1
        elif c == "'":
            # a character literal ('"', '\'', '\\'): no string starts inside it
            i += 1
            while text[i] != "'":
                i += 2 if text[i] == '\\' else 1
            i += 1
        elif c == '"':
            i += 1
            value = []
            while text[i] != '"':
                if text[i] == '\n':
                    raise ValueError('newline in a string literal')
                if text[i] == '\\':
                    i += 1
                    e = text[i]
                    simple = {'n': '\n', 't': '\t', 'r': '\r', '\\': '\\', '"': '"', "'": "'",
                              '0': '\0', 'a': '\a', 'b': '\b', 'f': '\f', 'v': '\v', '?': '?'}
                    if e == 'x':
                        m = HEX_DIGITS.match(text, i + 1)
                        value.append(chr(int(m.group(0), 16)))
                        i += 1 + len(m.group(0))
                        continue
                    if e in '1234567':
                        m = OCTAL_DIGITS.match(text, i)
                        value.append(chr(int(m.group(0), 8)))
                        i += len(m.group(0))
                        continue
                    value.append(simple[e])
                    i += 1
                    continue
                value.append(text[i])
                i += 1
            i += 1
            yield ('str', ''.join(value), path, line)
        elif c == "'":
            end = text.index("'", i + 1 + (text[i + 1] == '\\'))
            yield ('punct', text[i:end + 1], path, line)
            i = end + 1
        elif c.isalnum() or c == '_':
            m = WORD.match(text, i)
            yield ('ident', m.group(0), path, line)
            i += len(m.group(0))
        else:
            yield ('punct', c, path, line)
            i += 1


def c_string_array(path, name):
    """The elements of `static const char * const NAME[] = { ... };` in PATH, each the
    concatenation of its adjacent string literals. Anything but literals and parentheses in an
    element (a macro, say) is an error: the file promises plain literals."""
    with open(path, encoding='utf-8') as f:
        tokens = list(c_tokens(f.read()))
    for k in range(len(tokens) - 4):
        if (tokens[k] == ('ident', name) and tokens[k + 1] == ('punct', '[')
                and tokens[k + 2] == ('punct', ']') and tokens[k + 3] == ('punct', '=')
                and tokens[k + 4] == ('punct', '{')):
            break
    else:
        raise ValueError('%s: no array %s' % (path, name))
    elements = []
    current = []
    depth = 0
    for kind, value in tokens[k + 5:]:
        if kind == 'str':
            current.append(value)
        elif (kind, value) == ('punct', '('):
            depth += 1
        elif (kind, value) == ('punct', ')'):
            depth -= 1
        elif (kind, value) == ('punct', ',') and depth == 0:
            elements.append(''.join(current))
            current = []
        elif (kind, value) == ('punct', '}') and depth == 0:
            if current:
                elements.append(''.join(current))
            return elements
        else:
            raise ValueError('%s: %s holds %r: only string literals are expected' % (path, name, value))
    raise ValueError('%s: %s is not terminated' % (path, name))


def c_string_macro(path, name):
    """The string literals of `#define NAME "..." \\ ...`, concatenated."""
    with open(path, encoding='utf-8') as f:
        text = f.read()
    m = re.search(r'^#define\s+%s\b((?:.*\\\n)*.*)$' % re.escape(name), text, re.M)
    if m is None:
        raise ValueError('%s: no macro %s' % (path, name))
    body = m.group(1).replace('\\\n', '\n')
    return ''.join(v for kind, v in c_tokens(body) if kind == 'str')


# ---------------------------------------------------------------------------------------------
# The throw-away cluster

class Cluster:
    def __init__(self, base):
        self.base = base
        self.data = os.path.join(base, 'data')
        self.log = os.path.join(base, 'postgres.log')
        self.port = free_port()
        self.started = False

    def as_postgres(self, argv, **kwargs):
        if os.geteuid() == 0:
            argv = ['runuser', '-u', 'postgres', '--'] + argv
        return subprocess.run(argv, check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               universal_newlines=True, **kwargs)

    def start(self):
        if os.geteuid() == 0:
            shutil.chown(self.base, user='postgres', group='postgres')
        self.as_postgres([os.path.join(PG_BIN, 'initdb'), '-D', self.data, '--auth=trust', '-E', 'UTF8',
                          '--locale=C', '-U', 'postgres'])
        options = ('-c listen_addresses=127.0.0.1 -p %d -c unix_socket_directories=%s -c fsync=off'
                   % (self.port, self.base))
        self.started = True
        self.as_postgres([os.path.join(PG_BIN, 'pg_ctl'), '-D', self.data, '-l', self.log, '-w', '-t', '60',
                          '-o', options, 'start'])

    def stop(self):
        if self.started:
            try:
                self.as_postgres([os.path.join(PG_BIN, 'pg_ctl'), '-D', self.data, '-m', 'fast', '-w',
                                  'stop'])
            except subprocess.CalledProcessError as e:
                print('pg_ctl stop failed: ' + e.stdout, file=sys.stderr)
            self.started = False

    def psql(self, sql, search_path=None, check=True, dbname='postgres'):
        """Runs SQL in one psql session, stops at the first error. Returns (ok, rows, error text),
        rows being lists of the tab-separated fields of unaligned, tuples-only output."""
        if search_path is not None:
            sql = 'SET search_path TO %s;\n%s' % (search_path, sql)
        r = subprocess.run(['psql', '-X', '-q', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1',
                            '-h', self.base, '-p', str(self.port), '-U', 'postgres', '-d', dbname],
                           input=sql, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True)
        rows = [line.split('\t') for line in r.stdout.splitlines() if line != '']
        if r.returncode != 0 and check:
            raise RuntimeError('psql failed: %s\n--- SQL:\n%s' % (r.stderr.strip(), sql[:2000]))
        return r.returncode == 0, rows, r.stderr.strip()


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def quote_ident(name):
    return '"' + name.replace('"', '""') + '"'


def migrate_script(schema, migrations, migrations_table_sql):
    """What the store's runner does (fest-pg-schema.h), as one psql session: the version is read
    after the lock is taken, in the transaction that applies the missing steps."""
    script = 'BEGIN;\n'
    script += "SELECT pg_advisory_xact_lock (hashtextextended ('festivals-migrate:' || '%s', 0));\n" % schema
    if schema != 'public':
        script += 'CREATE SCHEMA IF NOT EXISTS %s;\n' % quote_ident(schema)
    script += 'SET LOCAL search_path TO %s;\n%s;\n' % (quote_ident(schema), migrations_table_sql)
    script += 'SELECT COALESCE (MAX (version), 0) AS fest_before FROM schema_migrations \\gset\n'
    script += 'SELECT :fest_before > %d AS fest_newer \\gset\n' % len(migrations)
    script += ("\\if :fest_newer\nDO $$ BEGIN RAISE EXCEPTION 'schema %s is newer than this program'; END $$;\n"
               "\\endif\n" % schema)
    for i, migration in enumerate(migrations):
        script += 'SELECT :fest_before < %d AS fest_todo \\gset\n\\if :fest_todo\n' % (i + 1)
        script += migration + '\n'
        script += 'INSERT INTO schema_migrations (version) VALUES (%d);\n\\endif\n' % (i + 1)
    script += 'SELECT COALESCE (MAX (version), 0) - :fest_before FROM schema_migrations;\nCOMMIT;\n'
    return script


def migrate(cluster, schema, migrations, migrations_table_sql):
    """Runs the migrations on SCHEMA; returns how many steps this run applied."""
    _, rows, _ = cluster.psql(migrate_script(schema, migrations, migrations_table_sql))
    return int(rows[-1][0])


def migrate_together(cluster, schema, migrations, migrations_table_sql, n):
    """N runners started at once on a fresh SCHEMA, as N server processes would: the advisory lock
    must make one apply every step and the others none, without an error."""
    results = [None] * n

    def run(k):
        try:
            results[k] = migrate(cluster, schema, migrations, migrations_table_sql)
        except RuntimeError as e:
            results[k] = e

    threads = [threading.Thread(target=run, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results



def pg_migrations():
    """(platform migrations, festival migrations, the schema_migrations table's DDL) of
    fest-pg-schema.{c,h}."""
    return (c_string_array(PG_SCHEMA_C, 'fest_pg_platform_migrations'),
            c_string_array(PG_SCHEMA_C, 'fest_pg_festival_migrations'),
            c_string_macro(PG_SCHEMA_H, 'FEST_PG_SCHEMA_MIGRATIONS_TABLE_SQL'))
