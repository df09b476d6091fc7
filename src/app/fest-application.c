/* fest-application.c: placeholder until the app issue lands */
#include "config.h"
