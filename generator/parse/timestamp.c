/* timestamp.c: YAML 1.1 timestamps, as front matter dates are written,
 * and the forms Hugo and Jekyll sites use beside them: no seconds
 * ("2024-03-01 10:00"), a zone without a colon ("+0200"). A time without
 * a zone is UTC. Part of parse/; pure text, no library. */
#include "parse.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static bool
digits(const char **p, int min, int max, int *out)
{
    int n = 0, v = 0;
    while (n < max && isdigit((unsigned char)**p))
        v = v * 10 + (*(*p)++ - '0'), n++;
    *out = v;
    return n >= min;
}

static bool
skip_blanks(const char **p)
{
    const char *start = *p;
    while (**p == ' ' || **p == '\t')
        (*p)++;
    return *p != start;
}

/* Parses the zone of a timestamp: "Z", "+3", "-05:00", "+0530". */
static bool
parse_zone(const char **p, int *offset_min)
{
    *offset_min = 0;
    skip_blanks(p);
    if (**p == 'Z' || **p == 'z') {
        (*p)++;
        return true;
    }
    if (**p != '+' && **p != '-')
        return **p == '\0';
    int sign = *(*p)++ == '-' ? -1 : 1, h, m = 0;
    if (!digits(p, 1, 2, &h))
        return false;
    if (**p == ':')
        (*p)++;
    if (isdigit((unsigned char)**p) && !digits(p, 2, 2, &m))
        return false;
    if (h > 14 || m > 59)
        return false;
    *offset_min = sign * (h * 60 + m);
    return true;
}

int
parse_timestamp(struct timestamp *out, const char *text)
{
    static const unsigned mdays[] = { 31, 29, 31, 30, 31, 30,
                                      31, 31, 30, 31, 30, 31 };
    const char *p = text;
    int y, mo, d, h = 0, mi = 0, s = 0, zone = 0;
    if (!digits(&p, 4, 4, &y) || *p++ != '-' || !digits(&p, 1, 2, &mo) ||
        *p++ != '-' || !digits(&p, 1, 2, &d))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || (unsigned)d > mdays[mo - 1] ||
        (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))))
        return -1;
    if (*p) {
        if (*p == 'T' || *p == 't')
            p++;
        else if (!skip_blanks(&p))
            return -1;
        if (!digits(&p, 1, 2, &h) || *p++ != ':' || !digits(&p, 2, 2, &mi))
            return -1;
        /* Seconds may be left out ("2024-03-01 10:00", as Hugo and Jekyll
         * sites write them); fractions are accepted and dropped. */
        if (*p == ':') {
            p++;
            if (!digits(&p, 2, 2, &s))
                return -1;
            if (*p == '.')
                for (p++; isdigit((unsigned char)*p); p++)
                    ;
        }
        if (h > 23 || mi > 59 || s > 60 || !parse_zone(&p, &zone) || *p)
            return -1;
    }
    out->secs = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
                h * 3600 + mi * 60 + s - zone * 60;
    out->offset_min = zone;
    out->set = true;
    return 0;
}
