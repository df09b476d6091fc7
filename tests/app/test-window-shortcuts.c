/* test-window-shortcuts.c: Alt+1… show the back office's pages in the sidebar's order
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An organiser signs in to a real server. The window's own shortcuts (its class's shortcut
 * controller, what a key press goes through) are read back: Alt+N must exist for each of the
 * first sidebar rows and show the Nth page, and the shortcuts window must list the same keys.
 */

#include "config.h"

#include <adwaita.h>

#include "fest-app-test.h"
#include "fest-window.h"

#define TIMEOUT_MS 15000

static gboolean
in_backoffice (gpointer data)
{
  return g_strcmp0 (fest_window_get_view (data), "backoffice") == 0;
}

/* The first widget of @type under @root whose first child is named @child_name (NULL: any). */
static GtkWidget *
find_with_child (GtkWidget  *root,
                 GType       type,
                 const char *child_name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type)
          && (child_name == NULL
              || (gtk_widget_get_first_child (child) != NULL
                  && g_strcmp0 (gtk_widget_get_name (gtk_widget_get_first_child (child)),
                                child_name) == 0)))
        return child;
      found = find_with_child (child, type, child_name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  GtkStack   *stack;
  const char *name;
} PageWait;

static gboolean
page_shown (gpointer data)
{
  PageWait *wait = data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (wait->stack), wait->name) == 0;
}

static void
test_page_shortcuts (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GListModel) controllers = NULL;
  g_autoptr(GtkBuilder) help = NULL;
  FestWindow *window = fest_window_new (NULL);
  GtkWidget *sidebar;
  GtkStack *stack;
  GSList *objects;
  guint n_shortcuts = 0;

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 800);
  gtk_window_present (GTK_WINDOW (window));
  fest_window_sign_in (window, client, server->url, FEST_APP_TEST_EMAIL, FEST_APP_TEST_PASSWORD);
  g_assert_true (fest_app_test_wait (in_backoffice, window, TIMEOUT_MS));

  /* The sidebar's rows are named after their pages. */
  sidebar = find_with_child (GTK_WIDGET (window), GTK_TYPE_LIST_BOX, "dashboard");
  g_assert_nonnull (sidebar);
  for (GtkWidget *row = gtk_widget_get_first_child (sidebar); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    g_ptr_array_add (rows, (gpointer) gtk_widget_get_name (row));
  g_assert_cmpuint (rows->len, >=, 8);
  stack = GTK_STACK (gtk_widget_get_parent (GTK_WIDGET (fest_window_get_dashboard (window))));

  controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
          PageWait wait = { stack, NULL };
          guint keyval;

          if (!GTK_IS_KEYVAL_TRIGGER (trigger)
              || gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) != GDK_ALT_MASK)
            continue;
          keyval = gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger));
          if (keyval < GDK_KEY_1 || keyval > GDK_KEY_9)
            continue;

          /* Alt+N shows the Nth row's page. */
          g_assert_cmpuint (keyval - GDK_KEY_1, <, rows->len);
          wait.name = g_ptr_array_index (rows, keyval - GDK_KEY_1);
          g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                       GTK_WIDGET (window),
                                                       gtk_shortcut_get_arguments (shortcut)));
          g_assert_true (fest_app_test_wait (page_shown, &wait, TIMEOUT_MS));
          n_shortcuts++;
        }
    }
  g_assert_cmpuint (n_shortcuts, ==, 8);

  /* The shortcuts window lists Alt+1 to Alt+8. */
  help = gtk_builder_new_from_resource ("/app/festivals/Festivals/gtk/help-overlay.ui");
  objects = gtk_builder_get_objects (help);
  for (guint n = 1; n <= 8; n++)
    {
      g_autofree char *accel = g_strdup_printf ("<Alt>%u", n);
      gboolean listed = FALSE;

      for (GSList *l = objects; l != NULL; l = l->next)
        {
          g_autofree char *accelerator = NULL;

          if (!GTK_IS_SHORTCUTS_SHORTCUT (l->data))
            continue;
          g_object_get (l->data, "accelerator", &accelerator, NULL);
          listed = listed || g_strcmp0 (accelerator, accel) == 0;
        }
      g_assert_true (listed);
    }
  g_slist_free (objects);

  fest_app_test_destroy_and_check (GTK_WINDOW (window), NULL);
}

int
main (int   argc,
      char *argv[])
{
  fest_app_test_init (&argc, &argv);

  g_test_add_func ("/fest/app/window/page-shortcuts", test_page_shortcuts);

  return g_test_run ();
}
