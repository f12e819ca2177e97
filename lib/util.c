/* SPDX-License-Identifier: Apache-2.0 */
/*
 * util: checked allocation, dynamic strings, number parsing and clocks used
 * by every other module (see util.h).
 */
#include <config.h>

#include "lib/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <time.h>

static const char *program_name = "tern";

void
set_program_name(const char *argv0)
{
    const char *slash = strrchr(argv0, '/');
    program_name = slash ? slash + 1 : argv0;
}

const char *
get_program_name(void)
{
    return program_name;
}

static void TERN_NORETURN
out_of_memory(void)
{
    fprintf(stderr, "%s: out of memory\n", program_name);
    abort();
}

void *
xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p) {
        out_of_memory();
    }
    return p;
}

void *
xzalloc(size_t size)
{
    return xcalloc(1, size);
}

void *
xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) {
        out_of_memory();
    }
    return p;
}

void *
xrealloc(void *p, size_t size)
{
    p = realloc(p, size ? size : 1);
    if (!p) {
        out_of_memory();
    }
    return p;
}

void *
xmemdup(const void *p, size_t size)
{
    void *q = xmalloc(size);
    memcpy(q, p, size);
    return q;
}

char *
xstrdup(const char *s)
{
    return xmemdup(s, strlen(s) + 1);
}

char *
xvasprintf(const char *format, va_list args)
{
    struct ds ds = DS_EMPTY;
    ds_put_format_valist(&ds, format, args);
    return ds_steal_cstr(&ds);
}

char *
xasprintf(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    char *s = xvasprintf(format, args);
    va_end(args);
    return s;
}

void
tern_fatal(const char *format, ...)
{
    va_list args;
    fprintf(stderr, "%s: ", program_name);
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fputc('\n', stderr);
    exit(1);
}

const char *
tern_strerror(int error)
{
    static __thread char buf[128];
    if (!error) {
        return "Success";
    }
    /* GNU strerror_r returns a pointer that may or may not be 'buf'. */
    return strerror_r(error, buf, sizeof buf);
}

bool
str_to_u64(const char *s, uint64_t *out)
{
    if (!s || !*s || isspace((unsigned char)*s) || *s == '-' || *s == '+') {
        return false;
    }
    /* Base 10 unless "0x": a leading zero does not mean octal. */
    bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, hex ? 16 : 10);
    if (errno || *end) {
        return false;
    }
    *out = v;
    return true;
}

static bool
str_to_bounded(const char *s, uint64_t max, uint64_t *v)
{
    return str_to_u64(s, v) && *v <= max;
}

bool
str_to_u32(const char *s, uint32_t *out)
{
    uint64_t v;
    if (!str_to_bounded(s, UINT32_MAX, &v)) {
        return false;
    }
    *out = v;
    return true;
}

bool
str_to_u16(const char *s, uint16_t *out)
{
    uint64_t v;
    if (!str_to_bounded(s, UINT16_MAX, &v)) {
        return false;
    }
    *out = v;
    return true;
}

bool
str_to_u8(const char *s, uint8_t *out)
{
    uint64_t v;
    if (!str_to_bounded(s, UINT8_MAX, &v)) {
        return false;
    }
    *out = v;
    return true;
}

int
hex_digit_value(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    } else if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

int
hex_to_bytes(const char *s, uint8_t *out, size_t max)
{
    size_t n = 0;
    int hi = -1;
    for (; *s; s++) {
        if (isspace((unsigned char)*s)) {
            if (hi >= 0) {
                return -1;
            }
            continue;
        }
        int d = hex_digit_value((unsigned char)*s);
        if (d < 0) {
            return -1;
        }
        if (hi < 0) {
            hi = d;
        } else {
            if (n >= max) {
                return -1;
            }
            out[n++] = (uint8_t)(hi << 4 | d);
            hi = -1;
        }
    }
    return hi >= 0 ? -1 : (int)n;
}

void
ds_init(struct ds *ds)
{
    ds->string = NULL;
    ds->length = 0;
    ds->allocated = 0;
}

void
ds_clear(struct ds *ds)
{
    ds->length = 0;
    if (ds->string) {
        ds->string[0] = '\0';
    }
}

void
ds_destroy(struct ds *ds)
{
    free(ds->string);
    ds_init(ds);
}

void
ds_reserve(struct ds *ds, size_t min_length)
{
    if (!ds->string || min_length > ds->allocated) {
        size_t n = MAX(min_length, ds->allocated * 2);
        n = MAX(n, 64);
        ds->string = xrealloc(ds->string, n + 1);
        ds->allocated = n;
        ds->string[ds->length] = '\0';
    }
}

void
ds_put_buffer(struct ds *ds, const char *s, size_t n)
{
    ds_reserve(ds, ds->length + n);
    memcpy(ds->string + ds->length, s, n);
    ds->length += n;
    ds->string[ds->length] = '\0';
}

void
ds_put_char(struct ds *ds, char c)
{
    ds_put_buffer(ds, &c, 1);
}

void
ds_put_cstr(struct ds *ds, const char *s)
{
    ds_put_buffer(ds, s, strlen(s));
}

void
ds_put_format_valist(struct ds *ds, const char *format, va_list args)
{
    va_list copy;
    va_copy(copy, args);
    ds_reserve(ds, ds->length + 64);
    size_t avail = ds->allocated - ds->length + 1;
    int n = vsnprintf(ds->string + ds->length, avail, format, copy);
    va_end(copy);
    if (n < 0) {
        return;
    }
    if ((size_t)n >= avail) {
        ds_reserve(ds, ds->length + n);
        va_copy(copy, args);
        vsnprintf(ds->string + ds->length, n + 1, format, copy);
        va_end(copy);
    }
    ds->length += n;
}

void
ds_put_format(struct ds *ds, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    ds_put_format_valist(ds, format, args);
    va_end(args);
}

void
ds_put_hex(struct ds *ds, const void *buf, size_t n)
{
    const uint8_t *p = buf;
    for (size_t i = 0; i < n; i++) {
        ds_put_format(ds, "%02x", p[i]);
    }
}

void
ds_chomp(struct ds *ds, int c)
{
    if (ds->length && ds->string[ds->length - 1] == (char)c) {
        ds->string[--ds->length] = '\0';
    }
}

const char *
ds_cstr(struct ds *ds)
{
    if (!ds->string) {
        ds_reserve(ds, 0);
    }
    return ds->string;
}

char *
ds_steal_cstr(struct ds *ds)
{
    ds_cstr(ds);
    char *s = ds->string;
    ds_init(ds);
    return s;
}

static long long
clock_msec(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long long
time_msec(void)
{
    return clock_msec(CLOCK_MONOTONIC);
}

long long
time_wall_msec(void)
{
    return clock_msec(CLOCK_REALTIME);
}

long long
time_usec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}
