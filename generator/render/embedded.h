/* embedded.h: the default theme compiled into the binary (build/theme_data.c
 * is generated from themes/default by render/embed.c). */
#ifndef GZ_EMBEDDED_H
#define GZ_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
    const char *path; /* relative to themes/default, e.g. "assets/style.css" */
    const unsigned char *data;
    size_t len;
};

extern const struct embedded_file embedded_theme[];
extern const size_t embedded_theme_len;

#endif
