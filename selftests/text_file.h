/* SPDX-License-Identifier: GPL-2.0 */
/* Small /proc and sysfs files, read whole, for tests to compare against. */
#ifndef THREADSTAT_SELFTEST_TEXT_FILE_H
#define THREADSTAT_SELFTEST_TEXT_FILE_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Up to @size - 1 bytes of @path into @buf, NUL-terminated, in one read()
 * (what /proc and sysfs hand out at once). Returns the bytes read, or -1.
 */
ssize_t text_file_read(const char *path, char *buf, size_t size);

#endif
