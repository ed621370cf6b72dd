/*
 * procfs_sys: /proc's system-wide files as Linux 6.1 lays them out. stat (cpu lines, one
 * per CPU, then intr, ctxt, btime, processes, procs_running, procs_blocked, softirq),
 * loadavg, uptime, meminfo (every field name in Linux's order), cpuinfo's keys,
 * version, filesystems, mounts (and the link to it), sys/kernel's pid_max, ostype and
 * hostname, and counters that must move: processes after a fork, ctxt after sleeping.
 */
#include "ktest_user.h"

#include <fcntl.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <time.h>

static char buf[65536];

static ssize_t read_file(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	size_t n = kt_read_full(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n] = '\0';
	return (ssize_t)n;
}

/* The number after "\nkey " in /proc/stat's text in buf, or -1. */
static long long stat_value(const char *key)
{
	char k[32];
	snprintf(k, sizeof(k), "\n%s ", key);
	const char *p = strstr(buf, k);
	return p ? strtoll(p + strlen(k), NULL, 10) : -1;
}

static void test_stat(void)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	CHECK("stat_read", read_file("/proc/stat") > 0);
	/* "cpu " and ten numbers, then "cpuN" and ten numbers for each CPU. */
	char *line = buf;
	int good = 1, cpus = 0;
	for (int i = 0; i <= ncpu; i++) {
		unsigned long long v[11];
		char name[16];
		int n = sscanf(line, "%15s %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
			       name, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7],
			       &v[8], &v[9], &v[10]);
		if (n != 11)
			good = 0;
		if (i == 0 && strncmp(line, "cpu  ", 5))
			good = 0;
		if (i > 0 && atoi(name + 3) == i - 1 && !strncmp(name, "cpu", 3))
			cpus++;
		line = strchr(line, '\n') + 1;
	}
	CHECK_EQ("stat_cpu_lines", good, 1);
	CHECK_EQ("stat_per_cpu", cpus, ncpu);
	CHECK("stat_intr_next", strncmp(line, "intr ", 5) == 0);
	static const char *const keys[] = { "ctxt", "btime", "processes", "procs_running",
					    "procs_blocked", "softirq" };
	const char *p = line;
	unsigned int in_order = 0;
	for (unsigned int i = 0; i < 6; i++) {
		char k[32];
		snprintf(k, sizeof(k), "\n%s ", keys[i]);
		const char *q = strstr(p, k);
		if (q) {
			in_order++;
			p = q + 1;
		}
	}
	CHECK_EQ("stat_keys_in_order", in_order, 6);
	CHECK("stat_running", stat_value("procs_running") >= 1);
	const char *sirq = strstr(buf, "\nsoftirq ");
	int fields = 0;
	if (sirq) {
		char copy[512];
		snprintf(copy, sizeof(copy), "%.*s", (int)strcspn(sirq + 1, "\n"), sirq + 1);
		for (char *tok = strtok(copy, " "); tok; tok = strtok(NULL, " "))
			fields++;
	}
	CHECK_EQ("stat_softirq_fields", fields, 12);

	long long forks = stat_value("processes"), ctxt = stat_value("ctxt");
	long long btime = stat_value("btime");
	struct sysinfo si;
	sysinfo(&si);
	CHECK("stat_btime", btime > 0 && llabs(btime + si.uptime - (long long)time(NULL)) <= 2);
	pid_t child = kt_fork();
	if (child == 0)
		_exit(0);
	kt_wait(child);
	usleep(20000);
	read_file("/proc/stat");
	CHECK("stat_processes_counts_forks", stat_value("processes") >= forks + 1);
	CHECK("stat_ctxt_counts_switches", stat_value("ctxt") > ctxt);
}

static void test_loadavg_uptime(void)
{
	double l1, l5, l15, up, idle;
	int running, total, last;
	char end;
	CHECK("loadavg_read", read_file("/proc/loadavg") > 0);
	CHECK_EQ("loadavg_fields", sscanf(buf, "%lf %lf %lf %d/%d %d%c", &l1, &l5, &l15,
					  &running, &total, &last, &end), 7);
	CHECK("loadavg_two_decimals", strlen(buf) > 14 && buf[1] == '.' && buf[4] == ' ');
	CHECK("loadavg_counts", running >= 1 && running <= total);
	pid_t child = kt_fork();
	if (child == 0)
		_exit(0);
	kt_wait(child);
	read_file("/proc/loadavg");
	sscanf(buf, "%lf %lf %lf %d/%d %d", &l1, &l5, &l15, &running, &total, &last);
	CHECK("loadavg_last_pid", last >= child);

	CHECK("uptime_read", read_file("/proc/uptime") > 0);
	CHECK_EQ("uptime_fields", sscanf(buf, "%lf %lf%c", &up, &idle, &end), 3);
	CHECK("uptime_newline", end == '\n');
	struct sysinfo si;
	sysinfo(&si);
	CHECK("uptime_matches_sysinfo", up > 0 && up - si.uptime <= 2 && si.uptime - up <= 2);
	const char *dot = strchr(buf, '.');
	CHECK("uptime_hundredths", dot && dot[3] == ' ');
}

static void test_meminfo(void)
{
	static const char *const names[] = {
		"MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapCached",
		"Active", "Inactive", "Active(anon)", "Inactive(anon)", "Active(file)",
		"Inactive(file)", "Unevictable", "Mlocked", "SwapTotal", "SwapFree", "Zswap",
		"Zswapped", "Dirty", "Writeback", "AnonPages", "Mapped", "Shmem", "KReclaimable",
		"Slab", "SReclaimable", "SUnreclaim", "KernelStack", "PageTables",
		"SecPageTables", "NFS_Unstable", "Bounce", "WritebackTmp", "CommitLimit",
		"Committed_AS", "VmallocTotal", "VmallocUsed", "VmallocChunk", "Percpu",
		"HardwareCorrupted", "AnonHugePages", "ShmemHugePages", "ShmemPmdMapped",
		"FileHugePages", "FilePmdMapped", "CmaTotal", "CmaFree", "HugePages_Total",
		"HugePages_Free", "HugePages_Rsvd", "HugePages_Surp", "Hugepagesize", "Hugetlb",
	};
	unsigned int n = sizeof(names) / sizeof(names[0]), i = 0, order = 1;
	unsigned long total = 0, free_kb = 0, avail = 0;
	CHECK("meminfo_read", read_file("/proc/meminfo") > 0);
	for (char *line = buf; *line; i++) {
		size_t len = strcspn(line, ":");
		if (i >= n || strlen(names[i]) != len || strncmp(line, names[i], len))
			order = 0;
		/* "Name:" padded to 16 columns, the number right-aligned in 8 more (or
		 * wider, without padding), then " kB"; HugePages_ counts have no unit. */
		const char *kb = strstr(line, " kB\n");
		if (strncmp(line, "HugePages_", 10)) {
			long end = kb ? kb - line : 0;
			if (end < 24 || line[end - 1] == ' ' ||
			    (end > 24 && strchr(line + 16, ' ') < kb))
				order = 0;
		}
		if (i == 0)
			total = strtoul(line + len + 1, NULL, 10);
		if (i == 1)
			free_kb = strtoul(line + len + 1, NULL, 10);
		if (i == 2)
			avail = strtoul(line + len + 1, NULL, 10);
		line += strcspn(line, "\n");
		line += *line == '\n';
	}
	CHECK_EQ("meminfo_lines", i, n);
	CHECK_EQ("meminfo_names_layout", order, 1);
	struct sysinfo si;
	sysinfo(&si);
	CHECK("meminfo_total", total > 0 && total == si.totalram * si.mem_unit / 1024);
	CHECK("meminfo_free", free_kb > 0 && free_kb < total && avail <= total);
}

static void test_cpuinfo(void)
{
	static const char *const keys[] = { "processor", "BogoMIPS", "Features",
					    "CPU implementer", "CPU architecture", "CPU variant",
					    "CPU part", "CPU revision" };
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int blocks = 0, good = 1;
	unsigned int k = 0;
	CHECK("cpuinfo_read", read_file("/proc/cpuinfo") > 0);
	for (char *line = buf; *line;) {
		size_t n = strcspn(line, "\n");
		if (n == 0) {
			good &= k == 8;
			k = 0;
			blocks++;
		} else {
			char key[32];
			snprintf(key, sizeof(key), "%.*s", (int)strcspn(line, "\t:"), line);
			good &= k < 8 && !strcmp(key, keys[k]) && strstr(line, ": ") != NULL;
			k++;
		}
		line += n + (line[n] == '\n');
	}
	CHECK_EQ("cpuinfo_blocks", blocks, ncpu);
	CHECK_EQ("cpuinfo_keys", good, 1);
	CHECK("cpuinfo_arch", strstr(buf, "\nCPU architecture: 8\n") != NULL);
	CHECK("cpuinfo_fp", strstr(buf, "Features\t: fp asimd") != NULL);
}

static void test_misc(void)
{
	struct utsname u;
	uname(&u);
	read_file("/proc/version");
	char want[256];
	snprintf(want, sizeof(want), "%s version %s ", u.sysname, u.release);
	CHECK("version", strncmp(buf, want, strlen(want)) == 0);
	read_file("/proc/sys/kernel/ostype");
	CHECK_STR("ostype", buf, "Linux\n");
	read_file("/proc/sys/kernel/osrelease");
	snprintf(want, sizeof(want), "%s\n", u.release);
	CHECK_STR("osrelease", buf, want);
	read_file("/proc/sys/kernel/hostname");
	snprintf(want, sizeof(want), "%s\n", u.nodename);
	CHECK_STR("hostname", buf, want);
	read_file("/proc/sys/kernel/pid_max");
	CHECK_STR("pid_max", buf, "32768\n");

	read_file("/proc/filesystems");
	CHECK("filesystems_proc", strstr(buf, "nodev\tproc\n") != NULL);
	CHECK("filesystems_tmpfs", strstr(buf, "nodev\ttmpfs\n") != NULL);

	char link[64];
	ssize_t n = readlink("/proc/mounts", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	CHECK_STR("mounts_link", link, "self/mounts");
	read_file("/proc/mounts");
	CHECK("mounts_proc", strstr(buf, "\nproc /proc proc rw,relatime 0 0\n") != NULL);
	CHECK("mounts_root_first", buf[0] != '\0' && buf[strcspn(buf, " ") + 1] == '/' &&
				   buf[strcspn(buf, " ") + 2] == ' ');
}

int main(void)
{
	kt_begin("procfs_sys", 20);
	test_stat();
	test_loadavg_uptime();
	test_meminfo();
	test_cpuinfo();
	test_misc();
	return kt_end();
}
