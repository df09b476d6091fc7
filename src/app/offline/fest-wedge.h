/* fest-wedge.h: keyboard-wedge barcode scanner burst detection and keyboard-layout garbage
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * USB barcode scanners "type" their code then Enter (or Tab). A pure state machine fed key
 * events (keyval, the character, the event time) tells a burst from a human: keys at most 50 ms
 * apart, at least 3 characters, ended by Enter or Tab (the rule of Odoo's barcode service).
 * Printable keys are held back while a burst may be starting; if no key follows within 50 ms they
 * are handed back (flush) so the caller inserts them where focus is. No GTK here: the station
 * window drives it from a capture-phase key controller and a timeout.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FEST_WEDGE_MAX_GAP_US    (50 * G_TIME_SPAN_MILLISECOND)
#define FEST_WEDGE_MIN_LENGTH    3

typedef enum
{
  FEST_WEDGE_KEY_CHAR,     /* a printable character (its UTF-8 text is given) */
  FEST_WEDGE_KEY_ENTER,    /* Return, KP_Enter, ISO_Enter */
  FEST_WEDGE_KEY_TAB,
  FEST_WEDGE_KEY_OTHER,    /* anything else: arrows, Backspace, modifiers held… */
} FestWedgeKey;

typedef struct
{
  gboolean  consume;   /* swallow this key event */
  char     *flush;     /* held-back text to insert at the focus before this key (or NULL) */
  char     *scanned;   /* a complete burst (or NULL) */
} FestWedgeResult;

void fest_wedge_result_clear (FestWedgeResult *result);

typedef struct _FestWedge FestWedge;

FestWedge *fest_wedge_new      (void);
void       fest_wedge_free     (FestWedge       *wedge);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FestWedge, fest_wedge_free)

/* Feeds one key press. @text: the character's UTF-8 for FEST_WEDGE_KEY_CHAR. @time_us: the
 * event's time (monotonic microseconds). Fills @result. */
void       fest_wedge_feed     (FestWedge       *wedge,
                                FestWedgeKey     key,
                                const char      *text,
                                gint64           time_us,
                                FestWedgeResult *result);
/* Call when no key came for FEST_WEDGE_MAX_GAP_US after the last one: returns the held-back
 * text (transfer full) for the caller to insert, or NULL. */
char      *fest_wedge_timeout  (FestWedge       *wedge,
                                gint64           time_us);
/* Is text being held back (the caller should arm its timeout)? */
gboolean   fest_wedge_is_holding (FestWedge     *wedge);

typedef enum
{
  FEST_CODE_UNKNOWN,
  FEST_CODE_WALLET,   /* FW1.<base32> */
  FEST_CODE_TICKET,   /* FT1.<base64url>.<base64url> */
} FestCodeKind;

/* Shape only (no signature check). */
FestCodeKind fest_code_classify           (const char *text);

/* A US-layout scanner on a French AZERTY keyboard turns "FW1.ABC" into "FZ&:QBC". If @text is no
 * valid code but maps back through the AZERTY→US substitution to one, returns TRUE and the
 * intended code in @fixed (transfer full, may be NULL). */
gboolean     fest_wedge_detect_us_layout  (const char *text,
                                           char      **fixed);
/* The substitution itself (what a US scanner's keys produce on AZERTY, undone). */
char        *fest_wedge_azerty_to_us      (const char *text);

G_END_DECLS
