/* progress.h: one updating line on stderr for a long build. Stages say
 * what they do and count their items; a thread of its own draws the line
 * ten times a second, once the build has run for a second, so that short
 * builds print nothing and the counting costs an atomic add. */
#ifndef GZ_PROGRESS_H
#define GZ_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

/* Starts the clock; when !enabled every other call does nothing. */
void progress_start(bool enabled);
/* A new stage: "parsing" with total items (0: not counted). */
void progress_stage(const char *what, size_t total);
/* n more items of the current stage are done; any thread may call it. */
void progress_advance(size_t n);
/* Stops drawing and clears the line. */
void progress_end(void);

#endif
