#!/usr/bin/env bash
# check-po.sh: fail when a translation is incomplete or po/POTFILES.in misses a source file.
#
# Copyright 2026 The Festivals authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: check-po.sh SOURCE_ROOT LANG [PACKAGE]
#
# 1. Every file listed in po/POTFILES.in exists.
# 2. Every source with translatable strings is listed: C files under src/ calling _(), N_(),
#    C_(), NC_(), g_dngettext or ngettext; .ui files under resources/ with translatable="yes";
#    the .desktop.in, .metainfo.xml.in and .gschema.xml files under data/.
# 3. A template is generated fresh from POTFILES.in with the same xgettext arguments as meson's
#    i18n "glib" preset, po/LANG.po is merged against it (msgmerge, in a temporary copy: the
#    source tree is never modified) and checked with `msgfmt --check --statistics`: it must
#    have 0 untranslated and 0 fuzzy messages, and valid format strings.
# Untranslated and fuzzy messages are printed so that the failure says what to do.

set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 SOURCE_ROOT LANG [PACKAGE]" >&2
  exit 2
fi

srcroot=$(cd "$1" && pwd)
lang=$2
package=${3:-festivals}
podir="$srcroot/po"
pofile="$podir/$lang.po"
potfiles="$podir/POTFILES.in"

for tool in xgettext msgmerge msgfmt msgattrib; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "check-po: $tool not found (Debian package gettext)" >&2
    exit 2
  fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

status=0

# --- 1. POTFILES.in entries exist ----------------------------------------------------------
listed="$tmp/listed"
sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$potfiles" | sed -e 's/^\[[^]]*\][[:space:]]*//' \
  | sort -u > "$listed"

while IFS= read -r f; do
  if [ ! -f "$srcroot/$f" ]; then
    echo "check-po: po/POTFILES.in lists $f, which does not exist"
    status=1
  fi
done < "$listed"

# --- 2. every source with translatable strings is listed -----------------------------------
wanted="$tmp/wanted"
(
  cd "$srcroot"
  if [ -d src ]; then
    grep -rlE --include='*.c' --include='*.h' \
      '(^|[^A-Za-z0-9_])(_|N_|C_|NC_|g_dngettext|ngettext|g_dpgettext2)[[:space:]]*\([[:space:]]*"' src || true
  fi
  if [ -d resources ]; then
    grep -rl --include='*.ui' 'translatable="yes"' resources || true
  fi
  if [ -d data ]; then
    find data -maxdepth 1 \( -name '*.desktop.in' -o -name '*.metainfo.xml.in' -o -name '*.gschema.xml' \) \
      -print | sed 's|^\./||'
  fi
) | sort -u > "$wanted"

unlisted=$(comm -23 "$wanted" "$listed")
if [ -n "$unlisted" ]; then
  echo "check-po: these files have translatable strings but are missing from po/POTFILES.in:"
  printf '  %s\n' $unlisted
  status=1
fi

if [ ! -f "$pofile" ]; then
  echo "check-po: $pofile does not exist"
  exit 1
fi

# --- 3. generate the template, merge, count ------------------------------------------------
# Only existing files go to xgettext so that one stale line reports above instead of hiding
# the statistics.
existing="$tmp/existing"
while IFS= read -r f; do
  [ -f "$srcroot/$f" ] && printf '%s\n' "$f"
done < "$listed" > "$existing"

# Same arguments as meson's i18n.gettext(preset: 'glib') (mesonbuild/modules/i18n.py).
xgettext_args=(
  --from-code=UTF-8 --add-comments
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format
  --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format --flag=g_print:1:c-format
  --flag=g_printerr:1:c-format --flag=g_printf:1:c-format --flag=g_fprintf:2:c-format
  --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format
)

pot="$tmp/$package.pot"
if [ -s "$existing" ]; then
  if ! xgettext --package-name="$package" -D "$srcroot" -f "$existing" -k_ -o "$pot" \
       "${xgettext_args[@]}" 2> "$tmp/xgettext.err"; then
    echo "check-po: xgettext failed:"
    cat "$tmp/xgettext.err"
    exit 1
  fi
fi
if [ ! -f "$pot" ]; then
  # xgettext writes nothing when there is no string at all.
  echo "check-po: no translatable string found in the files of po/POTFILES.in"
  exit 1
fi

merged="$tmp/$lang.po"
if ! msgmerge --quiet --previous -o "$merged" "$pofile" "$pot" 2> "$tmp/msgmerge.err"; then
  echo "check-po: msgmerge failed on po/$lang.po:"
  cat "$tmp/msgmerge.err"
  exit 1
fi

if ! msgfmt --check --statistics -o /dev/null "$merged" 2> "$tmp/stats"; then
  echo "check-po: msgfmt --check failed on po/$lang.po merged with the fresh template:"
  cat "$tmp/stats"
  status=1
fi

# "N translated messages, M fuzzy translations, K untranslated messages." (parts omitted when 0)
stats=$(grep -E 'translated message' "$tmp/stats" | tail -n 1 || true)
translated=$(printf '%s' "$stats" | grep -oE '[0-9]+ translated message' | grep -oE '^[0-9]+' || echo 0)
fuzzy=$(printf '%s' "$stats" | grep -oE '[0-9]+ fuzzy translation' | grep -oE '^[0-9]+' || echo 0)
untranslated=$(printf '%s' "$stats" | grep -oE '[0-9]+ untranslated message' | grep -oE '^[0-9]+' || echo 0)
total=$(grep -c '^msgid ' "$pot" || true)
total=$((total - 1)) # the header entry

echo "check-po: po/$lang.po against a fresh template of $total messages:" \
     "$translated translated, $fuzzy fuzzy, $untranslated untranslated"

show ()
{
  # Print the msgids of the entries msgattrib selects, at most 40.
  msgattrib "$@" --no-wrap --no-location --no-obsolete "$merged" 2>/dev/null \
    | grep -E '^msgid (".+"|"")$' | grep -v '^msgid ""$' | sed 's/^msgid /  /' > "$tmp/show" || true
  head -n 40 "$tmp/show"
  local n
  n=$(wc -l < "$tmp/show")
  if [ "$n" -gt 40 ]; then
    echo "  ... and $((n - 40)) more"
  fi
}

if [ "$fuzzy" -ne 0 ]; then
  echo "check-po: fuzzy messages (translation to check, then remove the fuzzy flag):"
  show --only-fuzzy
  status=1
fi
if [ "$untranslated" -ne 0 ]; then
  echo "check-po: untranslated messages (run 'meson compile -C BUILDDIR festivals-update-po', then translate):"
  show --untranslated
  status=1
fi
if [ "$translated" -ne "$total" ] && [ "$fuzzy" -eq 0 ] && [ "$untranslated" -eq 0 ]; then
  echo "check-po: $translated translated messages for $total in the template"
  status=1
fi

if [ $status -eq 0 ]; then
  echo "check-po: po/$lang.po is complete"
fi
exit $status
