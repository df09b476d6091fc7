#!/usr/bin/env bash
# check-api-pins.sh: fail when the sources use API newer than Debian 12's libraries.
#
# Copyright 2026 The Festivals authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The *_VERSION_MAX_ALLOWED macros of the root meson.build only warn about (and, with
# -Werror, reject) newer *functions*; types used from headers we do not have, API without
# version annotations (libshumate has none) and class names inside .ui templates slip through.
# This greps src/ and resources/ for the newer API listed in STYLE.md (GTK 4.10+, libadwaita
# 1.3+, GLib 2.76+, libsoup 3.3+). Lines that are only comments are ignored.
#
# Usage: check-api-pins.sh SOURCE_ROOT     check SOURCE_ROOT/src and SOURCE_ROOT/resources
#        check-api-pins.sh --self-test     plant each forbidden name in a temporary tree and
#                                          check that it is caught (and that allowed API is not)

set -euo pipefail

# One extended regex per line: the name and the prefix of its functions/macros.
FORBIDDEN=(
  # GTK 4.10+
  'GtkFileDialog|gtk_file_dialog_[a-z_]+|GTK_TYPE_FILE_DIALOG'
  'GtkAlertDialog|gtk_alert_dialog_[a-z_]+|GTK_TYPE_ALERT_DIALOG'
  'GtkUriLauncher|gtk_uri_launcher_[a-z_]+'
  'GtkFileLauncher|gtk_file_launcher_[a-z_]+'
  'GtkColorDialog|gtk_color_dialog_[a-z_]+|GtkFontDialog|gtk_font_dialog_[a-z_]+'
  'GtkColumnViewCell|gtk_column_view_cell_[a-z_]+'
  'GtkColumnViewRow|gtk_column_view_row_[a-z_]+'
  'gtk_css_provider_load_from_string|gtk_css_provider_load_from_bytes'
  'gtk_list_view_scroll_to|gtk_grid_view_scroll_to|gtk_column_view_scroll_to'
  # libadwaita 1.3+
  'AdwBanner|adw_banner_[a-z_]+'
  'AdwToolbarView|adw_toolbar_view_[a-z_]+'
  'AdwNavigationView|adw_navigation_view_[a-z_]+|AdwNavigationPage|adw_navigation_page_[a-z_]+'
  'AdwNavigationSplitView|adw_navigation_split_view_[a-z_]+'
  'AdwOverlaySplitView|adw_overlay_split_view_[a-z_]+'
  'AdwBreakpoint|adw_breakpoint_[a-z_]+'
  'AdwSpinRow|adw_spin_row_[a-z_]+'
  'AdwSwitchRow|adw_switch_row_[a-z_]+'
  'AdwDialog|adw_dialog_[a-z_]+'
  'AdwAlertDialog|adw_alert_dialog_[a-z_]+'
  'AdwAboutDialog|adw_about_dialog_[a-z_]+'
  'AdwPreferencesDialog|adw_preferences_dialog_[a-z_]+'
  'AdwSpinner|adw_spinner_[a-z_]+'
  'AdwMultiLayoutView|AdwBottomSheet|AdwWrapBox|AdwToggleGroup'
  # GLib 2.76+
  'g_set_str|g_clear_fd|g_string_free_and_steal|g_string_free_to_bytes_and_steal'
  'GPathBuf|g_path_buf_[a-z_]+'
  'g_autofd|g_close_range'
  # libsoup 3.3+
  'SOUP_METHOD_PATCH'
)

scan ()
{
  local root=$1
  local dirs=()
  local found=0
  [ -d "$root/src" ] && dirs+=("$root/src")
  [ -d "$root/resources" ] && dirs+=("$root/resources")
  if [ ${#dirs[@]} -eq 0 ]; then
    echo "check-api-pins: neither $root/src nor $root/resources exists" >&2
    return 2
  fi
  # One grep for every pattern: -w matches whole identifiers only, so AdwDialog does not match
  # AdwMessageDialog.
  local all hits
  all=$(IFS='|'; printf '%s' "${FORBIDDEN[*]}")
  hits=$(grep -rnwE --include='*.c' --include='*.h' --include='*.ui' --include='*.xml' \
           --include='*.css' "($all)" "${dirs[@]}" \
         | grep -vE '^[^:]+:[0-9]+:[[:space:]]*(/?\*|//|<!--)' || true)
  if [ -n "$hits" ]; then
    printf '%s\n' "$hits" | sed "s|^$root/||"
    found=1
  fi
  return $found
}

self_test ()
{
  local tmp pattern name failures=0
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' RETURN
  mkdir -p "$tmp/src" "$tmp/resources"
  # Allowed Debian 12 API must not be reported.
  cat > "$tmp/src/ok.c" <<'EOC'
/* AdwBanner would be nice here but needs libadwaita 1.3. */
static void f (void) { AdwMessageDialog *d = NULL; GtkFileChooserNative *n = NULL; g_clear_pointer (&d, g_free); }
EOC
  printf '<object class="AdwPreferencesWindow"/>\n' > "$tmp/resources/ok.ui"
  if ! scan "$tmp" >/dev/null; then
    echo "check-api-pins: self-test: allowed API was reported"
    scan "$tmp" || true
    failures=1
  fi
  for pattern in "${FORBIDDEN[@]}"; do
    IFS='|' read -r -a names <<< "$pattern"
    for name in "${names[@]}"; do
      name=${name//\[a-z_\]+/call}
      rm -f "$tmp/src/bad.c" "$tmp/resources/bad.ui"
      printf 'static void g (void) { x = %s (y); }\n' "$name" > "$tmp/src/bad.c"
      if scan "$tmp" >/dev/null; then
        echo "check-api-pins: self-test: $name in a .c file was not caught"
        failures=1
      fi
      rm -f "$tmp/src/bad.c"
      printf '<object class="%s" id="w"/>\n' "$name" > "$tmp/resources/bad.ui"
      if scan "$tmp" >/dev/null; then
        echo "check-api-pins: self-test: $name in a .ui file was not caught"
        failures=1
      fi
    done
  done
  if [ $failures -eq 0 ]; then
    echo "check-api-pins: self-test passed"
  fi
  return $failures
}

if [ "${1:-}" = "--self-test" ]; then
  self_test
  exit $?
fi

root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
if scan "$root"; then
  echo "check-api-pins: no API newer than Debian 12 in src/ or resources/"
else
  rc=$?
  [ $rc -eq 2 ] && exit 2
  echo "check-api-pins: the lines above use API newer than Debian 12 (see STYLE.md for replacements)"
  exit 1
fi
