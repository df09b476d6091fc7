/* fest-gates-repo.h: the festival's gates in the festival database
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A gate is an entrance the scanner stations pick from ({id, name, location {lat, lng, zone}});
 * its name is unique in the festival (case-insensitive). Scans keep the gate's name as text, so a
 * renamed or deleted gate leaves the scans as they were.
 */

#pragma once

#include "fest-crud-repo.h"

G_BEGIN_DECLS

typedef struct
{
  char     *id;
  char     *name;
  gboolean  has_location;
  double    lat;
  double    lng;
  char     *zone;          /* nullable */
  char     *created_at;
  char     *updated_at;
} FestGateRow;

void fest_gate_row_clear (FestGateRow *gate);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FestGateRow, fest_gate_row_clear)

/* Ordered by name; never in use. */
extern const FestCrudTable fest_gates_table;

/* Writer thread: every column (INSERT when @insert, else UPDATE). */
gboolean  fest_gates_repo_write        (FestWriteCtx       *ctx,
                                        const FestGateRow  *gate,
                                        gboolean            insert,
                                        GError            **error);
/* Writer thread: the id of the gate named @name (case-insensitive) other than @except_id
 * (nullable) in *@other_id (NULL when none). */
gboolean  fest_gates_repo_find_name    (FestWriteCtx       *ctx,
                                        const char         *name,
                                        const char         *except_id,
                                        char              **other_id,
                                        GError            **error);
/* Writer thread: where something that happened at the gate named @gate_name is: the gate's
 * position when it is a known gate with one, else the festival's site centre; *@found FALSE when
 * neither is known. */
gboolean  fest_gates_repo_position     (FestWriteCtx       *ctx,
                                        const char         *gate_name,
                                        gboolean           *found,
                                        double             *lat,
                                        double             *lng,
                                        GError            **error);

G_END_DECLS
