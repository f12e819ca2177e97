/* SPDX-License-Identifier: Apache-2.0 */
/*
 * odp-util: the lexer and value parsers shared by the key (odp-key.c) and
 * action (odp-actions.c) halves of the ovs-dpctl text syntax, and
 * odp_flow_to_packet(), which turns a flow description into packet bytes
 * with flow_compose().
 *
 * The lexer works on a NUL-terminated string and keeps only a cursor; white
 * space is allowed between tokens.  Errors carry the offset of the token
 * that caused them and the text that follows it.
 */
#include <config.h>

#include "lib/odp-util.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>

#include "lib/flow-compose.h"
#include "lib/odp-util-private.h"

void
odp_lex_init__(struct odp_lexer *lx, const char *s)
{
    lx->start = s;
    lx->p = s;
    lx->error = NULL;
}

bool
odp_lex_error__(struct odp_lexer *lx, const char *format, ...)
{
    if (lx->error) {
        return false;
    }

    va_list args;
    va_start(args, format);
    char *msg = xvasprintf(format, args);
    va_end(args);

    size_t ofs = (size_t)(lx->p - lx->start);
    if (*lx->p) {
        lx->error = xasprintf("%s (at offset %zu: \"%.24s%s\")", msg, ofs,
                              lx->p, strlen(lx->p) > 24 ? "..." : "");
    } else {
        lx->error = xasprintf("%s (at end of input)", msg);
    }
    free(msg);
    return false;
}

static void
odp_lex_skip_ws(struct odp_lexer *lx)
{
    while (isspace((unsigned char)*lx->p)) {
        lx->p++;
    }
}

int
odp_lex_peek__(struct odp_lexer *lx)
{
    odp_lex_skip_ws(lx);
    return (unsigned char)*lx->p;
}

bool
odp_lex_accept__(struct odp_lexer *lx, char c)
{
    if (odp_lex_peek__(lx) == (unsigned char)c) {
        lx->p++;
        return true;
    }
    return false;
}

bool
odp_lex_expect__(struct odp_lexer *lx, char c)
{
    if (odp_lex_accept__(lx, c)) {
        return true;
    }
    if (!*lx->p) {
        return odp_lex_error__(lx, "expected '%c'", c);
    }
    return odp_lex_error__(lx, "expected '%c' instead of '%c'", c, *lx->p);
}

bool
odp_lex_name__(struct odp_lexer *lx, char *buf, size_t size)
{
    odp_lex_skip_ws(lx);
    const char *s = lx->p;
    size_t n = 0;
    while (isalnum((unsigned char)s[n]) || s[n] == '_') {
        n++;
    }
    if (!n) {
        return odp_lex_error__(lx, "expected a name");
    }
    if (n >= size) {
        return odp_lex_error__(lx, "name too long");
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    lx->p += n;
    return true;
}

bool
odp_lex_value__(struct odp_lexer *lx, const char *what, char *buf, size_t size)
{
    odp_lex_skip_ws(lx);
    const char *s = lx->p;
    size_t n = strcspn(s, ",/()\t\n\v\f\r ");
    if (!n) {
        return odp_lex_error__(lx, "missing value for %s", what);
    }
    if (n >= size) {
        return odp_lex_error__(lx, "value for %s too long", what);
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    lx->p += n;
    return true;
}

bool
odp_lex_at_end__(struct odp_lexer *lx)
{
    return !odp_lex_peek__(lx);
}

char *
odp_check_length__(const char *s)
{
    if (!s) {
        return xstrdup("no input");
    }
    if (strnlen(s, ODP_MAX_INPUT_LEN + 1) > ODP_MAX_INPUT_LEN) {
        return xasprintf("input longer than %d characters", ODP_MAX_INPUT_LEN);
    }
    return NULL;
}

bool
odp_parse_uint__(const char *s, uint64_t max, uint64_t *out)
{
    unsigned int base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (!*s) {
        return false;
    }

    uint64_t v = 0;
    for (; *s; s++) {
        unsigned int d;
        if (isdigit((unsigned char)*s)) {
            d = (unsigned int)(*s - '0');
        } else if (base == 16 && isxdigit((unsigned char)*s)) {
            d = (unsigned int)(tolower((unsigned char)*s) - 'a' + 10);
        } else {
            return false;
        }
        if (v > (UINT64_MAX - d) / base) {
            return false;
        }
        v = v * base + d;
    }
    if (v > max) {
        return false;
    }
    *out = v;
    return true;
}

bool
odp_parse_mac__(const char *s, struct eth_addr *ea)
{
    struct eth_addr a;
    for (int i = 0; i < ETH_ADDR_LEN; i++) {
        int hi = hex_digit_value((unsigned char)*s);
        if (hi < 0) {
            return false;
        }
        s++;
        int lo = hex_digit_value((unsigned char)*s);
        if (lo >= 0) {
            a.ea[i] = (uint8_t)(hi << 4 | lo);
            s++;
        } else {
            a.ea[i] = (uint8_t)hi;
        }
        if (i < ETH_ADDR_LEN - 1 && *s++ != ':') {
            return false;
        }
    }
    if (*s) {
        return false;
    }
    *ea = a;
    return true;
}

bool
odp_parse_ipv4__(const char *s, tern_be32 *ip)
{
    struct in_addr a;
    if (inet_pton(AF_INET, s, &a) != 1) {
        return false;
    }
    *ip = a.s_addr;
    return true;
}

bool
odp_parse_ipv4_mask__(const char *s, tern_be32 *ip)
{
    if (strchr(s, '.')) {
        return odp_parse_ipv4__(s, ip);
    }
    uint64_t plen;
    if (!odp_parse_uint__(s, 32, &plen)) {
        return false;
    }
    *ip = plen ? htonl(UINT32_MAX << (32 - plen)) : 0;
    return true;
}

bool
odp_parse_ipv6__(const char *s, struct in6_addr *ip)
{
    struct in6_addr a;
    if (inet_pton(AF_INET6, s, &a) != 1) {
        return false;
    }
    *ip = a;
    return true;
}

bool
odp_parse_ipv6_mask__(const char *s, struct in6_addr *ip)
{
    if (strchr(s, ':')) {
        return odp_parse_ipv6__(s, ip);
    }
    uint64_t plen;
    if (!odp_parse_uint__(s, 128, &plen)) {
        return false;
    }
    memset(ip, 0, sizeof *ip);
    for (size_t i = 0; i < 16; i++) {
        if (plen >= 8) {
            ip->s6_addr[i] = 0xff;
            plen -= 8;
        } else {
            ip->s6_addr[i] = (uint8_t)(0xff00 >> plen);
            break;
        }
    }
    return true;
}

/* Largest packet odp_flow_to_packet() builds: headers only, no payload. */
#define ODP_PACKET_MAX 2048

char *
odp_flow_to_packet(const char *s, uint8_t **datap, size_t *lenp)
{
    *datap = NULL;
    *lenp = 0;

    char *error = odp_check_length__(s);
    if (error) {
        return error;
    }

    struct flow key, mask;
    memset(&key, 0, sizeof key);
    memset(&mask, 0, sizeof mask);

    struct odp_lexer lx;
    odp_lex_init__(&lx, s);
    if (odp_key_parse__(&lx, ODP_CTX_PACKET, &key, &mask) &&
        !odp_lex_at_end__(&lx)) {
        odp_lex_error__(&lx, "unexpected text after the flow");
    }
    if (lx.error) {
        return lx.error;
    }

    uint8_t *buf = xmalloc(ODP_PACKET_MAX);
    size_t len = flow_compose(&key, NULL, 0, buf, ODP_PACKET_MAX);
    if (!len) {
        free(buf);
        return xstrdup("cannot build a packet from this flow");
    }
    *datap = buf;
    *lenp = len;
    return NULL;
}
