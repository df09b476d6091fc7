/* fest-map-controls.h: what our libshumate maps share (the site map, the incident map)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The keyboard and the buttons that move a map: PREFIX.pan "(ii)" (a fifth of the view per step,
 * on the arrows and the keypad's), PREFIX.zoom-in (+, =, keypad +) and PREFIX.zoom-out (-, keypad
 * -); the zoom buttons in the top right corner (our own rather than libshumate's, whose overlay
 * cannot say where they are), and a status banner at the top that wraps in the width left of them.
 */

#pragma once

#include <gtk/gtk.h>
#include <shumate/shumate.h>

G_BEGIN_DECLS

/* In class_init: installs the three actions under @prefix ("site-map") and binds their keys. */
void fest_map_controls_install_actions (GtkWidgetClass   *widget_class,
                                        const char       *prefix);
/* In init: the actions of @owner move @simple_map (which @owner keeps for its lifetime); adds the
 * zoom buttons and @status (a label, hidden until the caller shows it) over @overlay, the map's
 * parent. */
void fest_map_controls_attach          (GtkWidget        *owner,
                                        const char       *prefix,
                                        ShumateSimpleMap *simple_map,
                                        GtkOverlay       *overlay,
                                        GtkWidget        *status);

G_END_DECLS
