// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Names for lock addresses: the ELF symbol whose object holds the address
 * (a global "pthread_mutex_t lock_a" is "lock_a"), read with libelf from
 * the file the mapping comes from, else the mapping itself ("[heap]+0x40",
 * "/dev/shm/x+0x0"). Also tells whether a process runs the C library we
 * know the layouts of (wait_owner.c).
 *
 * The address is in the waiter's process; /proc/PID/maps says which file
 * is there. A zero-initialised global lives in .bss, which is mapped
 * anonymously right after the file's last mapping, so an anonymous
 * mapping is looked up in the file mapped just before it. The file's load
 * bias is where its offset-0 mapping starts minus its first PT_LOAD's
 * page-aligned address (0 for ET_EXEC, the start for PIE and libraries).
 * The file is opened through /proc/PID/map_files when we may (root), else
 * by path, and only when its device and inode are the mapping's.
 */
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <gnu/libc-version.h>

#include "internal.h"
#include "waits.h"

struct ts_map {
	uint64_t start, end, offset, ino;
	unsigned int major, minor;
	char path[256];
};

static int ts_map_parse(const char *line, struct ts_map *m)
{
	int pos = 0;
	size_t n;

	memset(m, 0, sizeof(*m));
	if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %*4s %" SCNx64 " %x:%x %" SCNu64 " %n",
		   &m->start, &m->end, &m->offset, &m->major, &m->minor,
		   &m->ino, &pos) < 6)
		return -1;
	snprintf(m->path, sizeof(m->path), "%s", line + pos);
	m->path[strcspn(m->path, "\n")] = 0;
	/* an unlinked file (a shm segment, a replaced binary) */
	n = strlen(m->path);
	if (n > 10 && !strcmp(m->path + n - 10, " (deleted)"))
		m->path[n - 10] = 0;
	return 0;
}

/* The first PT_LOAD's page-aligned vaddr and the symbol holding @vaddr... */
static int ts_elf_symbol(int fd, uint64_t base, uint64_t addr, char *out,
			 size_t len)
{
	uint64_t first_load = UINT64_MAX, vaddr;
	Elf_Scn *scn = NULL;
	GElf_Phdr ph;
	size_t i, nph;
	int found = -1;
	Elf *e;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -1;
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e)
		return -1;
	if (elf_kind(e) != ELF_K_ELF || elf_getphdrnum(e, &nph))
		goto out;
	for (i = 0; i < nph; i++)
		if (gelf_getphdr(e, i, &ph) && ph.p_type == PT_LOAD &&
		    ph.p_vaddr < first_load)
			first_load = ph.p_vaddr & ~(uint64_t)0xfff;
	if (first_load == UINT64_MAX)
		goto out;
	vaddr = addr - base + first_load;
	/* .symtab when not stripped, else .dynsym (exported objects) */
	while (found && (scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;
		size_t n;

		if (!gelf_getshdr(scn, &sh) ||
		    (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM) ||
		    !sh.sh_entsize)
			continue;
		data = elf_getdata(scn, NULL);
		n = sh.sh_size / sh.sh_entsize;
		for (i = 0; data && i < n && found; i++) {
			GElf_Sym s;
			const char *name;

			if (!gelf_getsym(data, i, &s) ||
			    GELF_ST_TYPE(s.st_info) != STT_OBJECT ||
			    vaddr < s.st_value || vaddr >= s.st_value + s.st_size)
				continue;
			name = elf_strptr(e, sh.sh_link, s.st_name);
			if (!name || !*name)
				continue;
			if (vaddr == s.st_value)
				snprintf(out, len, "%s", name);
			else
				snprintf(out, len, "%.100s+0x%" PRIx64, name,
					 vaddr - s.st_value);
			found = 0;
		}
	}
out:
	elf_end(e);
	return found;
}

static int ts_open_mapped(uint32_t tgid, const struct ts_map *m)
{
	char path[128];
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "/proc/%u/map_files/%" PRIx64 "-%" PRIx64,
		 tgid, m->start, m->end);
	/* map_files is the mapped file itself (its dev and ino may differ
	 * from the maps line's on overlayfs); a path must be checked */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	if (m->path[0] != '/')
		return -1;
	fd = open(m->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || st.st_ino != m->ino ||
	    major(st.st_dev) != m->major || minor(st.st_dev) != m->minor) {
		close(fd);
		return -1;
	}
	return fd;
}

static const char *ts_basename(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

/**
 * ts_wait_name_lock() - name the lock at @addr of process @tgid
 * @tgid: the waiter's process
 * @addr: the futex address there
 * @l: the lock; name, dev, ino and offset are filled
 * @arg: unused
 */
void ts_wait_name_lock(uint32_t tgid, uint64_t addr, struct ts_lock *l,
		       void *arg)
{
	struct ts_map m, file = { 0 }, base = { 0 };
	char path[64], line[512], sym[128];
	bool have_file = false, hit = false;
	FILE *f;

	(void)arg;
	snprintf(l->name, sizeof(l->name), "0x%" PRIx64, addr);
	snprintf(path, sizeof(path), "/proc/%u/maps", tgid);
	f = fopen(path, "r");
	if (!f)
		return;
	while (!hit && fgets(line, sizeof(line), f)) {
		if (ts_map_parse(line, &m))
			continue;
		if (m.ino) {
			if (!have_file || strcmp(m.path, file.path) ||
			    m.offset == 0) {
				if (m.offset == 0)
					base = m;
				file = m;
				have_file = true;
			} else {
				file = m;
			}
		} else if (m.path[0]) {
			have_file = false;	/* [heap], [stack]: no file */
		}
		hit = addr >= m.start && addr < m.end;
	}
	fclose(f);
	if (!hit)
		return;
	l->dev = makedev(m.major, m.minor);
	l->ino = m.ino;
	l->offset = addr - m.start + m.offset;
	if (have_file && base.ino == file.ino && !strcmp(base.path, file.path)) {
		int fd = ts_open_mapped(tgid, &file);

		if (fd >= 0) {
			if (!ts_elf_symbol(fd, base.start, addr, sym,
					   sizeof(sym))) {
				snprintf(l->name, sizeof(l->name), "%s", sym);
				close(fd);
				return;
			}
			close(fd);
		}
	}
	if (m.path[0])
		snprintf(l->name, sizeof(l->name), "%.120s+0x%" PRIx64,
			 m.ino ? ts_basename(m.path) : m.path,
			 m.ino ? l->offset : addr - m.start);
	else
		snprintf(l->name, sizeof(l->name), "anon+0x%" PRIx64,
			 addr - m.start);
}

/*
 * Does this maps line name a libc.so.6 (unlinked or not)? Checked before
 * the line is parsed: a process with many threads has two lines per
 * thread stack, none naming a file, and libc comes after them (mmap
 * allocates top down, maps lists bottom up). sscanf on every line was
 * most of a threadtop refresh with 1000 threads blocked on futexes.
 */
static bool ts_names_libc(const char *line)
{
	static const char libc[] = "/libc.so.6", gone[] = " (deleted)";
	size_t n = strcspn(line, "\n");

	if (n >= 10 && !memcmp(line + n - 10, gone, 10))
		n -= 10;
	return n >= 10 && !memcmp(line + n - 10, libc, 10);
}

/* dev:ino of the libc.so.6 that @pid maps, or 0. */
static uint64_t ts_libc_of(const char *pid)
{
	char path[64], line[512];
	uint64_t id = 0;
	struct ts_map m;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/maps", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (!id && fgets(line, sizeof(line), f)) {
		if (!ts_names_libc(line) || ts_map_parse(line, &m) || !m.ino)
			continue;
		id = (uint64_t)makedev(m.major, m.minor) << 32 ^ m.ino;
	}
	fclose(f);
	return id;
}

/**
 * ts_wait_libc_known() - does @tgid run a glibc whose layouts we know?
 * @tgid: the process
 *
 * We can verify the version of our own glibc only (gnu_get_libc_version):
 * the target must map the same libc.so.6 file, and it must be a glibc
 * from 2.28 on (the mutex and rwlock layouts wait_owner.c reads have not
 * changed since; Debian 12 ships 2.36).
 *
 * Return: true when the layouts apply.
 */
bool ts_wait_libc_known(uint32_t tgid)
{
	static uint64_t self_libc;
	unsigned int major = 0, minor = 0;
	uint64_t theirs, ours;
	char pid[16];

	if (sscanf(gnu_get_libc_version(), "%u.%u", &major, &minor) != 2 ||
	    major != 2 || minor < 28)
		return false;
	snprintf(pid, sizeof(pid), "%u", tgid);
	theirs = ts_libc_of(pid);
	if (!theirs)
		return false;
	/* Ours does not change while we run: read our maps once. */
	ours = __atomic_load_n(&self_libc, __ATOMIC_RELAXED);
	if (!ours) {
		ours = ts_libc_of("self");
		__atomic_store_n(&self_libc, ours, __ATOMIC_RELAXED);
	}
	return theirs == ours;
}
