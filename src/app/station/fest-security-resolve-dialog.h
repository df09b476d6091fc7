/* fest-security-resolve-dialog.h: the dialog that asks a guard for the notes resolving an incident
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* A dialog over @parent (nullable) for the incident titled @title, with the responses "cancel"
 * (also Escape) and "resolve", enabled once the notes say something; Enter makes a new line in
 * the notes, Ctrl+Enter answers "resolve". *@notes gets the notes field (owned by the dialog). */
AdwMessageDialog *fest_security_resolve_dialog_new       (GtkWindow    *parent,
                                                          const char   *title,
                                                          GtkTextView **notes);
/* What the notes field holds, trimmed (transfer full). */
char             *fest_security_resolve_dialog_get_notes (GtkTextView  *notes);

G_END_DECLS
