/* fest-scanner-page.c: the gate scanner: full-screen ACCEPT / ALREADY USED / REFUSED
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The verdict is decided offline from the cached ticket public key, the cached ticket states and
 * the local used set (fest_station_store_record_scan), and an admission is committed to the
 * outbox before the green screen shows. Colours follow pretixSCAN: green accept, yellow already
 * used (with the first scan's time and gate), red refused with the reason in large words.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-core.h"
#include "fest-scanner-page.h"
#include "fest-station-window-private.h"

#define VERDICT_SHOWN_S 4

struct _FestScannerPage
{
  GtkBox             parent_instance;

  FestStationWindow *window;
  const char        *verdict;        /* "accept", "used", "refused" or NULL */
  char              *reason;
  guint              reset_id;

  GtkBox            *verdict_box;
  GtkLabel          *verdict_title;
  GtkLabel          *verdict_reason;
  GtkLabel          *verdict_detail;
  GtkLabel          *entries_label;
  GtkEntry          *gate_entry;
  GtkToggleButton   *in_button;
  GtkToggleButton   *out_button;
  GtkEntry          *code_entry;
  GtkLabel          *alerts_label;
  GtkRevealer       *alerts_revealer;
};

G_DEFINE_FINAL_TYPE (FestScannerPage, fest_scanner_page, GTK_TYPE_BOX)

static void
update_entries (FestScannerPage *self)
{
  guint n = fest_station_store_count_entries (fest_station_window_get_store (self->window));
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u entry", "%u entries", n), n);

  gtk_label_set_text (self->entries_label, text);
}

static void
show_idle (FestScannerPage *self)
{
  static const char * const classes[] = { "verdict-accept", "verdict-used", "verdict-refused", "verdict-exit" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_box), classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->verdict_box), "verdict-idle");
  gtk_label_set_text (self->verdict_title, _("Scan a ticket"));
  gtk_label_set_text (self->verdict_reason, "");
  gtk_label_set_text (self->verdict_detail, "");
}

static gboolean
reset_cb (gpointer user_data)
{
  FestScannerPage *self = user_data;

  self->reset_id = 0;
  show_idle (self);
  return G_SOURCE_REMOVE;
}

static void
show_verdict (FestScannerPage *self,
              const char      *verdict,
              const char      *css_class,
              const char      *title,
              const char      *reason,
              const char      *detail)
{
  static const char * const classes[] = { "verdict-idle", "verdict-accept", "verdict-used", "verdict-refused",
                                          "verdict-exit" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_box), classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->verdict_box), css_class);
  gtk_label_set_text (self->verdict_title, title);
  gtk_label_set_text (self->verdict_reason, reason != NULL ? reason : "");
  gtk_label_set_text (self->verdict_detail, detail != NULL ? detail : "");
  self->verdict = verdict;
  g_free (self->reason);
  self->reason = g_strdup (reason);

  g_clear_handle_id (&self->reset_id, g_source_remove);
  self->reset_id = g_timeout_add_seconds (VERDICT_SHOWN_S, reset_cb, self);
}

static char *
format_when (const char *rfc3339)
{
  g_autoptr(GDateTime) time = rfc3339 ? fest_time_parse (rfc3339) : NULL;
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return g_strdup (_("an unknown time"));
  local = g_date_time_to_local (time);
  return g_date_time_format (local, "%X");
}

static const char *
gate_name (FestScannerPage *self)
{
  const char *gate = gtk_editable_get_text (GTK_EDITABLE (self->gate_entry));

  return gate != NULL && *gate != '\0' ? gate : _("Gate");
}

static void
check_code (FestScannerPage *self,
            const char      *text)
{
  g_autofree char *code = g_strstrip (g_strdup (text != NULL ? text : ""));
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  FestScanVerdict verdict;

  if (*code == '\0')
    return;
  if (!fest_station_store_record_scan_direction (fest_station_window_get_store (self->window), code,
                                                 gate_name (self),
                                                 gtk_toggle_button_get_active (self->out_button) ? "OUT" : "IN",
                                                 now, &verdict, &error))
    {
      show_verdict (self, "refused", "verdict-refused", _("REFUSED"), error->message, NULL);
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }

  switch (verdict.result)
    {
    case FEST_SCAN_ACCEPT:
      {
        g_autofree char *detail = verdict.holder != NULL && *verdict.holder != '\0'
          ? g_strdup_printf ("%s · %s", verdict.holder, verdict.type_code ? verdict.type_code : "")
          : g_strdup (verdict.type_code);

        show_verdict (self, "accept", "verdict-accept", _("ACCEPT"), _("Welcome!"), detail);
        fest_station_window_operation_queued (self->window);
        update_entries (self);
      }
      break;

    case FEST_SCAN_ALREADY_USED:
      {
        g_autofree char *when = format_when (verdict.first_scan_at);
        g_autofree char *reason = g_strdup_printf (_("First scanned at %s, %s"), when,
                                                   verdict.first_gate ? verdict.first_gate : _("another gate"));

        show_verdict (self, "used", "verdict-used", _("ALREADY USED"), reason, verdict.holder);
        /* Two bells: distinct from a plain refusal. */
        gtk_widget_error_bell (GTK_WIDGET (self));
        gtk_widget_error_bell (GTK_WIDGET (self));
      }
      break;

    case FEST_SCAN_EXIT:
      show_verdict (self, "exit", "verdict-exit", _("EXIT"), _("See you soon: the ticket lets them back in"),
                    verdict.holder);
      fest_station_window_operation_queued (self->window);
      break;

    case FEST_SCAN_REFUSED:
    default:
      show_verdict (self, "refused", "verdict-refused", _("REFUSED"),
                    fest_scan_reason_to_text (verdict.reason), NULL);
      gtk_widget_error_bell (GTK_WIDGET (self));
      break;
    }
  fest_scan_verdict_clear (&verdict);
}

static void
check_clicked_cb (GtkWidget *widget,
                  gpointer   user_data)
{
  FestScannerPage *self = user_data;

  check_code (self, gtk_editable_get_text (GTK_EDITABLE (self->code_entry)));
  gtk_editable_set_text (GTK_EDITABLE (self->code_entry), "");
}

static void
gate_changed_cb (GtkEditable *editable,
                 gpointer     user_data)
{
  FestScannerPage *self = user_data;

  fest_station_store_set_setting (fest_station_window_get_store (self->window), FEST_STATION_KEY_GATE,
                                  gtk_editable_get_text (editable), NULL);
}

static void
dismiss_alerts_cb (GtkButton *button,
                   gpointer   user_data)
{
  FestScannerPage *self = user_data;

  gtk_revealer_set_reveal_child (self->alerts_revealer, FALSE);
}

static void
fest_scanner_page_dispose (GObject *object)
{
  FestScannerPage *self = FEST_SCANNER_PAGE (object);

  g_clear_handle_id (&self->reset_id, g_source_remove);
  G_OBJECT_CLASS (fest_scanner_page_parent_class)->dispose (object);
}

static void
fest_scanner_page_finalize (GObject *object)
{
  FestScannerPage *self = FEST_SCANNER_PAGE (object);

  g_free (self->reason);
  G_OBJECT_CLASS (fest_scanner_page_parent_class)->finalize (object);
}

static void
fest_scanner_page_class_init (FestScannerPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fest_scanner_page_dispose;
  object_class->finalize = fest_scanner_page_finalize;
}

static void
fest_scanner_page_init (FestScannerPage *self)
{
}

static void
build (FestScannerPage *self)
{
  GtkWidget *top, *label, *button, *alerts_box;
  g_autofree char *gate = NULL;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 12);
  gtk_widget_set_margin_start (GTK_WIDGET (self), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self), 12);

  /* Alerts pulled from the server (DUPLICATE_ENTRY). */
  self->alerts_revealer = GTK_REVEALER (gtk_revealer_new ());
  alerts_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (alerts_box, "station-alert");
  self->alerts_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->alerts_label, TRUE);
  gtk_label_set_xalign (self->alerts_label, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->alerts_label), TRUE);
  gtk_box_append (GTK_BOX (alerts_box), GTK_WIDGET (self->alerts_label));
  button = gtk_button_new_with_mnemonic (_("_Dismiss"));
  gtk_widget_add_css_class (button, "station-touch");
  g_signal_connect_object (button, "clicked", G_CALLBACK (dismiss_alerts_cb), self, 0);
  gtk_box_append (GTK_BOX (alerts_box), button);
  gtk_revealer_set_child (self->alerts_revealer, alerts_box);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->alerts_revealer));

  top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  label = gtk_label_new_with_mnemonic (_("_Gate"));
  gtk_box_append (GTK_BOX (top), label);
  self->gate_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (self->gate_entry));
  gate = fest_station_store_get_setting (fest_station_window_get_store (self->window), FEST_STATION_KEY_GATE);
  gtk_editable_set_text (GTK_EDITABLE (self->gate_entry), gate != NULL ? gate : _("Main gate"));
  gtk_editable_set_width_chars (GTK_EDITABLE (self->gate_entry), 14);
  g_signal_connect_object (self->gate_entry, "changed", G_CALLBACK (gate_changed_cb), self, 0);
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (self->gate_entry));

  {
    GtkWidget *directions = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

    gtk_widget_add_css_class (directions, "linked");
    self->in_button = GTK_TOGGLE_BUTTON (gtk_toggle_button_new_with_mnemonic (_("_Entry")));
    self->out_button = GTK_TOGGLE_BUTTON (gtk_toggle_button_new_with_mnemonic (_("E_xit")));
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->in_button), _("Scans let people in"));
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->out_button), _("Scans let people out (tickets with re-entry)"));
    gtk_toggle_button_set_group (self->out_button, self->in_button);
    gtk_toggle_button_set_active (self->in_button, TRUE);
    gtk_widget_add_css_class (GTK_WIDGET (self->in_button), "station-touch");
    gtk_widget_add_css_class (GTK_WIDGET (self->out_button), "station-touch");
    gtk_box_append (GTK_BOX (directions), GTK_WIDGET (self->in_button));
    gtk_box_append (GTK_BOX (directions), GTK_WIDGET (self->out_button));
    gtk_box_append (GTK_BOX (top), directions);
  }

  self->code_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (self->code_entry, _("Scan a ticket, or type its code and press Enter"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->code_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Ticket code"), -1);
  gtk_widget_set_hexpand (GTK_WIDGET (self->code_entry), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->code_entry), "station-entry");
  g_signal_connect_object (self->code_entry, "activate", G_CALLBACK (check_clicked_cb), self, 0);
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (self->code_entry));
  button = gtk_button_new_with_mnemonic (_("_Check"));
  gtk_widget_add_css_class (button, "station-touch");
  gtk_widget_set_tooltip_text (button, _("Check the typed ticket code"));
  g_signal_connect_object (button, "clicked", G_CALLBACK (check_clicked_cb), self, 0);
  gtk_box_append (GTK_BOX (top), button);

  self->entries_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->entries_label), "station-counter");
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (self->entries_label));
  gtk_box_append (GTK_BOX (self), top);

  self->verdict_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 12));
  gtk_widget_add_css_class (GTK_WIDGET (self->verdict_box), "verdict");
  gtk_widget_set_vexpand (GTK_WIDGET (self->verdict_box), TRUE);
  self->verdict_title = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->verdict_title), "verdict-title");
  gtk_widget_set_vexpand (GTK_WIDGET (self->verdict_title), TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->verdict_title), GTK_ALIGN_END);
  self->verdict_reason = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->verdict_reason), "verdict-reason");
  gtk_label_set_wrap (self->verdict_reason, TRUE);
  gtk_label_set_justify (self->verdict_reason, GTK_JUSTIFY_CENTER);
  self->verdict_detail = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->verdict_detail), "verdict-detail");
  gtk_widget_set_vexpand (GTK_WIDGET (self->verdict_detail), TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->verdict_detail), GTK_ALIGN_START);
  gtk_box_append (self->verdict_box, GTK_WIDGET (self->verdict_title));
  gtk_box_append (self->verdict_box, GTK_WIDGET (self->verdict_reason));
  gtk_box_append (self->verdict_box, GTK_WIDGET (self->verdict_detail));
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->verdict_box));
}

FestScannerPage *
fest_scanner_page_new (FestStationWindow *window)
{
  FestScannerPage *self = g_object_new (FEST_TYPE_SCANNER_PAGE, NULL);

  self->window = window;
  build (self);
  show_idle (self);
  update_entries (self);
  return self;
}

void
fest_scanner_page_handle_scan (FestScannerPage *self,
                               const char      *code)
{
  g_return_if_fail (FEST_IS_SCANNER_PAGE (self));
  check_code (self, code);
}

void
fest_scanner_page_show_alerts (FestScannerPage *self)
{
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_if_fail (FEST_IS_SCANNER_PAGE (self));

  alerts = fest_station_store_take_new_alerts (fest_station_window_get_store (self->window));
  for (guint i = 0; i < alerts->len; i++)
    {
      JsonObject *alert = json_node_get_object (g_ptr_array_index (alerts, i));
      JsonObject *details = NULL;
      const char *type = json_object_get_string_member_with_default (alert, "type", "");

      if (g_strcmp0 (type, "DUPLICATE_ENTRY") != 0)
        continue;
      if (json_object_has_member (alert, "details") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (alert, "details")))
        details = json_object_get_object_member (alert, "details");
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Duplicate entry: a ticket was admitted twice (gate %s)"),
                              details ? json_object_get_string_member_with_default (details, "gate", "?") : "?");
    }
  if (text->len == 0)
    return;
  gtk_label_set_text (self->alerts_label, text->str);
  gtk_revealer_set_reveal_child (self->alerts_revealer, TRUE);
  gtk_widget_error_bell (GTK_WIDGET (self));
  update_entries (self);
}

const char *
fest_scanner_page_get_verdict (FestScannerPage *self)
{
  g_return_val_if_fail (FEST_IS_SCANNER_PAGE (self), NULL);
  return self->verdict;
}

const char *
fest_scanner_page_get_reason (FestScannerPage *self)
{
  g_return_val_if_fail (FEST_IS_SCANNER_PAGE (self), NULL);
  return self->reason;
}

guint
fest_scanner_page_get_entries (FestScannerPage *self)
{
  g_return_val_if_fail (FEST_IS_SCANNER_PAGE (self), 0);
  return fest_station_store_count_entries (fest_station_window_get_store (self->window));
}

const char *
fest_scanner_page_get_alert (FestScannerPage *self)
{
  g_return_val_if_fail (FEST_IS_SCANNER_PAGE (self), NULL);
  if (!gtk_revealer_get_reveal_child (self->alerts_revealer))
    return NULL;
  return gtk_label_get_text (self->alerts_label);
}

void
fest_scanner_page_set_exit (FestScannerPage *self,
                            gboolean         exit)
{
  g_return_if_fail (FEST_IS_SCANNER_PAGE (self));
  gtk_toggle_button_set_active (exit ? self->out_button : self->in_button, TRUE);
}
