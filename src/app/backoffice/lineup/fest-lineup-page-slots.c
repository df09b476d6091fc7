/* fest-lineup-page-slots.c: the Lineup page's slot edits (move, dialog, cancel)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A move shows at once (the timeline already drew it) and goes to the server with
 * PATCH /slots/{id}; refused, the block goes back where it was, a toast names the slot in the way
 * and the timeline highlights it. The slot dialog edits or creates; Delete on the timeline or
 * lineup.cancel-slot cancels after asking (the slot stays, CANCELLED).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-form-dialog.h"
#include "fest-lineup-dialogs.h"
#include "fest-lineup-page-private.h"
#include "fest-page-util.h"

/* Editing slots
 *
 * One PATCH per slot at a time: arrow keys make a move every keypress, and two PATCHes of the
 * same slot in flight could be answered out of order. While one is on its way, the latest wish
 * waits (shown already) and goes when it is answered; a refusal puts the slot back where the
 * server last had it. */

typedef struct
{
  char      *id;
  char      *stage_id;       /* where the server has the slot */
  gint64     start;
  gint64     end;
  gboolean   has_next;       /* a move made while this one was in flight */
  char      *next_stage_id;
  gint64     next_start;
  gint64     next_end;
} MoveState;

static void
move_state_free (gpointer data)
{
  MoveState *move = data;

  g_free (move->id);
  g_free (move->stage_id);
  g_free (move->next_stage_id);
  g_free (move);
}

GHashTable *
_fest_lineup_page_new_moves (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL, move_state_free);
}

void
_fest_lineup_page_take_slot (FestLineupPage *self,
                             JsonNode       *data)
{
  const FestLineupSlot *slot;

  if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data)
      || !fest_lineup_update_slot (self->lineup, json_node_get_object (data)))
    return;
  slot = fest_lineup_lookup_slot (self->lineup, fest_page_json_string (json_node_get_object (data), "id"));
  if (slot != NULL)
    _fest_lineup_page_put_block (self, slot);
  _fest_lineup_page_fill_lists (self);
}

static void
show_refusal (FestLineupPage *self,
              const GError   *error)
{
  JsonNode *details = fest_error_get_details (error);
  const char *other_id = NULL;
  const FestLineupSlot *other = NULL;

  if (g_error_matches (error, FEST_ERROR, FEST_ERROR_CONFLICT) && details != NULL
      && JSON_NODE_HOLDS_OBJECT (details))
    other_id = fest_page_json_string (json_node_get_object (details), "slot_id");
  if (other_id != NULL)
    other = fest_lineup_lookup_slot (self->lineup, other_id);

  if (other != NULL)
    {
      g_autofree char *what = _fest_lineup_page_describe_slot (self, other);
      g_autofree char *message = g_strdup_printf (_("Conflicts with %s"), what);

      _fest_lineup_page_toast (self, message);
      g_free (self->highlight);
      self->highlight = g_strdup (other_id);
      fest_timeline_set_highlight (self->timeline, other_id);
    }
  else
    {
      _fest_lineup_page_toast_error (self, error);
    }
}

static void send_move (FestLineupPage *self,
                       MoveState      *move,
                       const char     *stage_id,
                       gint64          start,
                       gint64          end);

static void
move_done (FestLineupPage *self,
           JsonNode       *data,
           const GError   *error,
           gpointer        user_data)
{
  MoveState *move = g_hash_table_lookup (self->moves, user_data);
  const FestLineupSlot *slot;

  if (move == NULL)
    return;

  if (data != NULL && JSON_NODE_HOLDS_OBJECT (data))
    {
      JsonObject *object = json_node_get_object (data);

      g_free (move->stage_id);
      move->stage_id = g_strdup (fest_page_json_string (object, "stage_id"));
      fest_lineup_parse_time (fest_page_json_string (object, "start_time"), &move->start);
      fest_lineup_parse_time (fest_page_json_string (object, "end_time"), &move->end);
    }

  if (move->has_next)
    {
      g_autofree char *stage_id = g_steal_pointer (&move->next_stage_id);

      /* The later wish is what the user sees; the refusal of an earlier one is moot. */
      move->has_next = FALSE;
      send_move (self, move, stage_id, move->next_start, move->next_end);
      return;
    }

  if (data != NULL)
    {
      _fest_lineup_page_take_slot (self, data);
    }
  else
    {
      /* Refused: back where the server has it. */
      fest_lineup_move_slot (self->lineup, move->id, move->stage_id, move->start, move->end);
      slot = fest_lineup_lookup_slot (self->lineup, move->id);
      if (slot != NULL)
        _fest_lineup_page_put_block (self, slot);
      show_refusal (self, error);
    }
  g_hash_table_remove (self->moves, user_data);
}

static void
send_move (FestLineupPage *self,
           MoveState      *move,
           const char     *stage_id,
           gint64          start,
           gint64          end)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = g_strdup_printf ("/slots/%s", move->id);
  g_autofree char *start_text = fest_lineup_format_utc (start);
  g_autofree char *end_text = fest_lineup_format_utc (end);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "stage_id");
  json_builder_add_string_value (builder, stage_id);
  json_builder_set_member_name (builder, "start_time");
  json_builder_add_string_value (builder, start_text);
  json_builder_set_member_name (builder, "end_time");
  json_builder_add_string_value (builder, end_text);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  /* The callback finds the state by the slot's id (the table's key, freed with the state). */
  _fest_lineup_page_send (self, "PATCH", path, body, move_done, g_strdup (move->id), g_free);
}

static void
move_slot (FestLineupPage *self,
           const char     *id,
           const char     *stage_id,
           gint64          start,
           gint64          end)
{
  const FestLineupSlot *slot = fest_lineup_lookup_slot (self->lineup, id);
  MoveState *move;

  if (slot == NULL || fest_lineup_lookup_stage (self->lineup, stage_id) == NULL || end <= start)
    {
      _fest_lineup_page_toast (self, _("This slot cannot be moved there."));
      if (slot != NULL)
        _fest_lineup_page_put_block (self, slot);
      return;
    }

  /* A state in the table is a PATCH in flight: this move waits for its answer. */
  move = g_hash_table_lookup (self->moves, id);
  if (move != NULL)
    {
      move->has_next = TRUE;
      g_free (move->next_stage_id);
      move->next_stage_id = g_strdup (stage_id);
      move->next_start = start;
      move->next_end = end;
    }
  else
    {
      move = g_new0 (MoveState, 1);
      move->id = g_strdup (slot->id);
      move->stage_id = g_strdup (slot->stage_id);
      move->start = slot->start;
      move->end = slot->end;
      g_hash_table_insert (self->moves, move->id, move);
    }

  /* Shown at once; put back if the server refuses. */
  fest_lineup_move_slot (self->lineup, id, stage_id, start, end);
  _fest_lineup_page_put_block (self, fest_lineup_lookup_slot (self->lineup, id));

  if (!move->has_next)
    send_move (self, move, stage_id, start, end);
}

static void
slot_saved_cb (FestFormDialog *dialog,
               JsonNode       *data,
               gpointer        user_data)
{
  FestLineupPage *self = user_data;
  const char *message = g_object_get_data (G_OBJECT (dialog), "fest-saved-message");

  _fest_lineup_page_take_slot (self, data);
  if (message != NULL)
    _fest_lineup_page_toast (self, message);
}

static void
open_slot_dialog (FestLineupPage       *self,
                  const FestLineupSlot *slot,
                  const char           *stage_id,
                  gint64                start,
                  gint64                end)
{
  FestFormDialog *dialog;

  if (self->days == NULL)
    return;
  dialog = fest_lineup_slot_dialog_new (GTK_WIDGET (self), fest_page_get_client (FEST_PAGE (self)),
                                        self->lineup, self->days, slot, stage_id, start, end);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (slot_saved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cancel_done (FestLineupPage *self,
             JsonNode       *data,
             const GError   *error,
             gpointer        user_data)
{
  if (data == NULL)
    {
      _fest_lineup_page_toast_error (self, error);
      return;
    }
  _fest_lineup_page_take_slot (self, data);
  _fest_lineup_page_toast (self, _("Slot cancelled"));
}

static void
cancel_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  FestLineupPage *self = user_data;
  const char *id = g_object_get_data (G_OBJECT (dialog), "fest-slot-id");
  g_autofree char *path = g_strdup_printf ("/slots/%s", id);
  g_autoptr(JsonNode) body = json_from_string ("{\"status\":\"CANCELLED\"}", NULL);

  _fest_lineup_page_send (self, "PATCH", path, body, cancel_done, NULL, NULL);
}

static void
ask_cancel_slot (FestLineupPage *self,
                 const char     *id)
{
  const FestLineupSlot *slot = fest_lineup_lookup_slot (self->lineup, id);
  const FestLineupStage *stage;
  g_autofree char *what = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  if (slot == NULL)
    return;
  if (g_strcmp0 (slot->status, "CANCELLED") == 0)
    {
      _fest_lineup_page_toast (self, _("This slot is already cancelled."));
      return;
    }
  stage = fest_lineup_lookup_stage (self->lineup, slot->stage_id);
  what = _fest_lineup_page_describe_slot (self, slot);
  /* TRANSLATORS: "Nova Trio, 21:00–22:00 on Main Stage." */
  body = g_strdup_printf (_("%s on %s. The slot stays in the lineup, marked cancelled, and frees "
                            "the stage."), what, stage != NULL ? stage->name : "");
  dialog = fest_page_confirm (GTK_WIDGET (self), _("Cancel this slot?"), body, _("Cancel _Slot"));
  adw_message_dialog_set_response_label (dialog, "cancel", _("_Keep"));
  g_object_set_data_full (G_OBJECT (dialog), "fest-slot-id", g_strdup (id), g_free);
  g_signal_connect_object (dialog, "response::confirm", G_CALLBACK (cancel_response_cb), self, 0);
}

/* Timeline signals */

static void
block_changed_cb (FestTimeline *timeline,
                  const char   *id,
                  const char   *lane_id,
                  gint64        start,
                  gint64        end,
                  gpointer      user_data)
{
  move_slot (FEST_LINEUP_PAGE (user_data), id, lane_id, start, end);
}

static void
block_activated_cb (FestTimeline *timeline,
                    const char   *id,
                    gpointer      user_data)
{
  FestLineupPage *self = user_data;
  const FestLineupSlot *slot = fest_lineup_lookup_slot (self->lineup, id);

  if (slot != NULL)
    open_slot_dialog (self, slot, NULL, 0, 0);
}

static void
create_requested_cb (FestTimeline *timeline,
                     const char   *lane_id,
                     gint64        start,
                     gint64        end,
                     gpointer      user_data)
{
  open_slot_dialog (FEST_LINEUP_PAGE (user_data), NULL, lane_id, start, end);
}

static void
delete_requested_cb (FestTimeline *timeline,
                     const char   *id,
                     gpointer      user_data)
{
  ask_cancel_slot (FEST_LINEUP_PAGE (user_data), id);
}

/* Actions */

static void
move_slot_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  const char *id, *stage_id;
  gint64 start, end;

  g_variant_get (parameter, "(&s&sxx)", &id, &stage_id, &start, &end);
  move_slot (FEST_LINEUP_PAGE (widget), id, stage_id, start, end);
}

static void
edit_slot_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  block_activated_cb (NULL, g_variant_get_string (parameter, NULL), widget);
}

static void
cancel_slot_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ask_cancel_slot (FEST_LINEUP_PAGE (widget), g_variant_get_string (parameter, NULL));
}

static void
new_slot_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  FestLineupPage *self = FEST_LINEUP_PAGE (widget);
  const FestLineupStage *stage = fest_lineup_get_n_stages (self->lineup) > 0
                                 ? fest_lineup_get_stage (self->lineup, 0) : NULL;
  gint64 start;

  if (!_fest_lineup_page_day_shown (self) || stage == NULL)
    return;
  /* 20:00 on the day shown, an hour long: a guess the dialog lets change. */
  start = fest_lineup_days_get_start (self->days, self->day)
          + (gint64) (20 - _fest_lineup_page_day_start_hour () + 24) % 24 * 3600;
  open_slot_dialog (self, NULL, stage->id, start, start + 3600);
}

void
_fest_lineup_page_connect_timeline (FestLineupPage *self)
{
  g_signal_connect_object (self->timeline, "block-changed", G_CALLBACK (block_changed_cb), self, 0);
  g_signal_connect_object (self->timeline, "block-activated", G_CALLBACK (block_activated_cb), self, 0);
  g_signal_connect_object (self->timeline, "create-requested", G_CALLBACK (create_requested_cb),
                           self, 0);
  g_signal_connect_object (self->timeline, "delete-requested", G_CALLBACK (delete_requested_cb),
                           self, 0);
}

void
_fest_lineup_page_class_init_slots (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "lineup.move-slot", "(ssxx)", move_slot_action);
  gtk_widget_class_install_action (widget_class, "lineup.edit-slot", "s", edit_slot_action);
  gtk_widget_class_install_action (widget_class, "lineup.cancel-slot", "s", cancel_slot_action);
  gtk_widget_class_install_action (widget_class, "lineup.new-slot", NULL, new_slot_action);
}
