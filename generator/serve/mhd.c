/* mhd.c: libmicrohttpd, loaded when serve starts its server rather than
 * when gazette starts. It pulls in nine libraries (GnuTLS and its own),
 * whose loading cost every command 6 ms, a tenth of a rebuild with
 * nothing to do. serve.c calls libmicrohttpd's functions by their own
 * names; these definitions forward them to the library. Part of serve/. */
#include <dlfcn.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

/* The soname of Debian's package (libmicrohttpd12). */
#define MHD_LIBRARY "libmicrohttpd.so.12"

static struct {
    struct MHD_Daemon *(*start_daemon_va)(unsigned, uint16_t,
                                          MHD_AcceptPolicyCallback, void *,
                                          MHD_AccessHandlerCallback, void *,
                                          va_list);
    void (*stop_daemon)(struct MHD_Daemon *);
    enum MHD_Result (*add_response_header)(struct MHD_Response *,
                                           const char *, const char *);
    struct MHD_Response *(*from_buffer)(size_t, void *,
                                        enum MHD_ResponseMemoryMode);
    struct MHD_Response *(*from_callback)(uint64_t, size_t,
                                          MHD_ContentReaderCallback, void *,
                                          MHD_ContentReaderFreeCallback);
    struct MHD_Response *(*from_fd64)(uint64_t, int);
    void (*destroy_response)(struct MHD_Response *);
    const char *(*lookup_connection_value)(struct MHD_Connection *,
                                           enum MHD_ValueKind, const char *);
    enum MHD_Result (*queue_response)(struct MHD_Connection *, unsigned,
                                      struct MHD_Response *);
} mhd;

static bool loaded;

/* Loads the library and every function of it that serve calls; false
 * (said on stderr) when one is missing. */
static void
load(void)
{
    void *lib = dlopen(MHD_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    struct {
        void **to;
        const char *name;
    } fns[] = {
        { (void **)&mhd.start_daemon_va, "MHD_start_daemon_va" },
        { (void **)&mhd.stop_daemon, "MHD_stop_daemon" },
        { (void **)&mhd.add_response_header, "MHD_add_response_header" },
        { (void **)&mhd.from_buffer, "MHD_create_response_from_buffer" },
        { (void **)&mhd.from_callback, "MHD_create_response_from_callback" },
        { (void **)&mhd.from_fd64, "MHD_create_response_from_fd64" },
        { (void **)&mhd.destroy_response, "MHD_destroy_response" },
        { (void **)&mhd.lookup_connection_value,
          "MHD_lookup_connection_value" },
        { (void **)&mhd.queue_response, "MHD_queue_response" },
    };
    loaded = lib != NULL;
    for (size_t i = 0; loaded && i < sizeof fns / sizeof *fns; i++)
        loaded = (*fns[i].to = dlsym(lib, fns[i].name)) != NULL;
    if (!loaded)
        fprintf(stderr, "gazette: %s\n", dlerror());
}

/* The only way in: the other functions are called on what it made. */
struct MHD_Daemon *
MHD_start_daemon(unsigned int flags, uint16_t port,
                 MHD_AcceptPolicyCallback apc, void *apc_cls,
                 MHD_AccessHandlerCallback dh, void *dh_cls, ...)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, load);
    if (!loaded)
        return NULL;
    va_list ap;
    va_start(ap, dh_cls);
    struct MHD_Daemon *d = mhd.start_daemon_va(flags, port, apc, apc_cls, dh,
                                               dh_cls, ap);
    va_end(ap);
    return d;
}

void
MHD_stop_daemon(struct MHD_Daemon *daemon)
{
    mhd.stop_daemon(daemon);
}

enum MHD_Result
MHD_add_response_header(struct MHD_Response *response, const char *header,
                        const char *content)
{
    return mhd.add_response_header(response, header, content);
}

struct MHD_Response *
MHD_create_response_from_buffer(size_t size, void *buffer,
                                enum MHD_ResponseMemoryMode mode)
{
    return mhd.from_buffer(size, buffer, mode);
}

struct MHD_Response *
MHD_create_response_from_callback(uint64_t size, size_t block_size,
                                  MHD_ContentReaderCallback crc, void *crc_cls,
                                  MHD_ContentReaderFreeCallback crfc)
{
    return mhd.from_callback(size, block_size, crc, crc_cls, crfc);
}

struct MHD_Response *
MHD_create_response_from_fd64(uint64_t size, int fd)
{
    return mhd.from_fd64(size, fd);
}

void
MHD_destroy_response(struct MHD_Response *response)
{
    mhd.destroy_response(response);
}

const char *
MHD_lookup_connection_value(struct MHD_Connection *connection,
                            enum MHD_ValueKind kind, const char *key)
{
    return mhd.lookup_connection_value(connection, kind, key);
}

enum MHD_Result
MHD_queue_response(struct MHD_Connection *connection, unsigned int status_code,
                   struct MHD_Response *response)
{
    return mhd.queue_response(connection, status_code, response);
}
