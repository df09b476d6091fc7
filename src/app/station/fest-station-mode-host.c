/* fest-station-mode-host.c: holds the station's mode page and speaks to it for the window
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window knows modes only through this host: it builds the page of the context's mode and
 * hands it what the window receives (scans, syncs, alerts, actions). A page taller than the
 * screen (the security page on a 768 or 800 px kiosk) scrolls: the window stays on the screen,
 * with its status bar and its toasts.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-cashier-page.h"
#include "fest-recharge-page.h"
#include "fest-scanner-page.h"
#include "fest-security-page.h"
#include "fest-station-mode-host.h"

struct _FestStationModeHost
{
  AdwBin              parent_instance;

  FestStationContext *context;
  GtkWidget          *page;

  GtkBox             *page_box;
};

G_DEFINE_FINAL_TYPE (FestStationModeHost, fest_station_mode_host, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
fest_station_mode_host_dispose (GObject *object)
{
  FestStationModeHost *self = FEST_STATION_MODE_HOST (object);

  self->page = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), FEST_TYPE_STATION_MODE_HOST);
  G_OBJECT_CLASS (fest_station_mode_host_parent_class)->dispose (object);
}

static void
fest_station_mode_host_finalize (GObject *object)
{
  FestStationModeHost *self = FEST_STATION_MODE_HOST (object);

  g_clear_object (&self->context);
  G_OBJECT_CLASS (fest_station_mode_host_parent_class)->finalize (object);
}

static void
fest_station_mode_host_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  FestStationModeHost *self = FEST_STATION_MODE_HOST (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_station_mode_host_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  FestStationModeHost *self = FEST_STATION_MODE_HOST (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_station_mode_host_class_init (FestStationModeHostClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fest_station_mode_host_dispose;
  object_class->finalize = fest_station_mode_host_finalize;
  object_class->get_property = fest_station_mode_host_get_property;
  object_class->set_property = fest_station_mode_host_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, FEST_TYPE_STATION_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/app/festivals/Festivals/ui/station/fest-station-mode-host.ui");
  gtk_widget_class_bind_template_child (widget_class, FestStationModeHost, page_box);
}

static void
fest_station_mode_host_init (FestStationModeHost *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

GtkWidget *
fest_station_mode_host_new (FestStationContext *context)
{
  g_return_val_if_fail (FEST_IS_STATION_CONTEXT (context), NULL);

  return g_object_new (FEST_TYPE_STATION_MODE_HOST, "context", context, NULL);
}

void
fest_station_mode_host_open (FestStationModeHost *self)
{
  const char *mode;

  g_return_if_fail (FEST_IS_STATION_MODE_HOST (self));

  mode = fest_station_context_get_mode (self->context);
  if (self->page != NULL)
    gtk_box_remove (self->page_box, self->page);
  if (g_strcmp0 (mode, "cashier") == 0)
    self->page = GTK_WIDGET (fest_cashier_page_new (self->context));
  else if (g_strcmp0 (mode, "recharge") == 0)
    self->page = GTK_WIDGET (fest_recharge_page_new (self->context));
  else if (g_strcmp0 (mode, "scanner") == 0)
    self->page = GTK_WIDGET (fest_scanner_page_new (self->context));
  else
    self->page = GTK_WIDGET (fest_security_page_new (self->context));
  gtk_widget_set_vexpand (self->page, TRUE);
  gtk_box_append (self->page_box, self->page);
}

GtkWidget *
fest_station_mode_host_get_page (FestStationModeHost *self)
{
  g_return_val_if_fail (FEST_IS_STATION_MODE_HOST (self), NULL);
  return self->page;
}

GtkEditable *
fest_station_mode_host_get_code_entry (FestStationModeHost *self)
{
  g_return_val_if_fail (FEST_IS_STATION_MODE_HOST (self), NULL);

  if (FEST_IS_CASHIER_PAGE (self->page))
    return fest_cashier_page_get_code_entry (FEST_CASHIER_PAGE (self->page));
  if (FEST_IS_RECHARGE_PAGE (self->page))
    return fest_recharge_page_get_code_entry (FEST_RECHARGE_PAGE (self->page));
  return NULL;
}

gboolean
fest_station_mode_host_is_product (FestStationModeHost *self,
                                   GtkWidget           *widget)
{
  g_return_val_if_fail (FEST_IS_STATION_MODE_HOST (self), FALSE);

  return FEST_IS_CASHIER_PAGE (self->page) &&
         fest_cashier_page_is_product (FEST_CASHIER_PAGE (self->page), widget);
}

void
fest_station_mode_host_handle_scan (FestStationModeHost *self,
                                    const char          *code)
{
  g_return_if_fail (FEST_IS_STATION_MODE_HOST (self));

  if (FEST_IS_CASHIER_PAGE (self->page))
    fest_cashier_page_handle_scan (FEST_CASHIER_PAGE (self->page), code);
  else if (FEST_IS_RECHARGE_PAGE (self->page))
    fest_recharge_page_handle_scan (FEST_RECHARGE_PAGE (self->page), code);
  else if (FEST_IS_SCANNER_PAGE (self->page))
    fest_scanner_page_handle_scan (FEST_SCANNER_PAGE (self->page), code);
  else if (FEST_IS_SECURITY_PAGE (self->page))
    fest_station_context_toast (self->context, _("Nothing to scan here"));
}

void
fest_station_mode_host_synced (FestStationModeHost *self)
{
  g_return_if_fail (FEST_IS_STATION_MODE_HOST (self));

  if (FEST_IS_CASHIER_PAGE (self->page))
    fest_cashier_page_reload (FEST_CASHIER_PAGE (self->page));
  if (FEST_IS_SCANNER_PAGE (self->page))
    {
      fest_scanner_page_show_alerts (FEST_SCANNER_PAGE (self->page));
      fest_scanner_page_reload_gates (FEST_SCANNER_PAGE (self->page));
    }
  if (FEST_IS_SECURITY_PAGE (self->page))
    fest_security_page_reload (FEST_SECURITY_PAGE (self->page));
}

void
fest_station_mode_host_show_alerts (FestStationModeHost *self)
{
  g_return_if_fail (FEST_IS_STATION_MODE_HOST (self));

  if (FEST_IS_SCANNER_PAGE (self->page))
    fest_scanner_page_show_alerts (FEST_SCANNER_PAGE (self->page));
}

void
fest_station_mode_host_focus_page (FestStationModeHost *self)
{
  g_return_if_fail (FEST_IS_STATION_MODE_HOST (self));

  if (self->page != NULL)
    gtk_widget_child_focus (self->page, GTK_DIR_TAB_FORWARD);
}

gboolean
fest_station_mode_host_charge (FestStationModeHost *self)
{
  GtkEditable *entry;

  g_return_val_if_fail (FEST_IS_STATION_MODE_HOST (self), FALSE);

  /* The code field's Enter ("activate") does what the Charge (Credit) button does. */
  entry = fest_station_mode_host_get_code_entry (self);
  if (!GTK_IS_ENTRY (entry))
    return FALSE;
  g_signal_emit_by_name (entry, "activate");
  return TRUE;
}

gboolean
fest_station_mode_host_cancel_last (FestStationModeHost *self)
{
  g_return_val_if_fail (FEST_IS_STATION_MODE_HOST (self), FALSE);

  /* Only when the page offers it (its button is sensitive). */
  if (!FEST_IS_CASHIER_PAGE (self->page) || !fest_cashier_page_get_can_cancel (FEST_CASHIER_PAGE (self->page)))
    return FALSE;
  fest_cashier_page_cancel_last (FEST_CASHIER_PAGE (self->page));
  return TRUE;
}

gboolean
fest_station_mode_host_shift_report (FestStationModeHost *self)
{
  g_return_val_if_fail (FEST_IS_STATION_MODE_HOST (self), FALSE);

  if (FEST_IS_RECHARGE_PAGE (self->page))
    {
      fest_recharge_page_shift_report (FEST_RECHARGE_PAGE (self->page));
      return TRUE;
    }
  if (!FEST_IS_CASHIER_PAGE (self->page))
    return FALSE;
  fest_cashier_page_shift_report (FEST_CASHIER_PAGE (self->page));
  return TRUE;
}
