// SPDX-License-Identifier: GPL-2.0
/*
 * Yama ptrace_scope=3 withholds regs (and stack, kstack) of every other
 * process, even from root with every capability, as /proc refuses
 * /proc/PID/syscall; a thread's own process stays visible to it.
 *
 * Scope 3 cannot be lowered until reboot, so this program is not named
 * *_test: scripts/guest/run-tests.sh runs it after everything else.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "privilege.h"

TEST(scope3_withholds_regs_from_everyone)
{
	static const struct priv_caller root = { PRIV_ROOT, 0, "root" };
	struct priv_target child = { 0 }, other = { 0 };
	struct priv_grant g[3];
	struct tsnl nl;
	char diff[512];
	int scope, i;

	if (priv_read_int(YAMA_SCOPE, &scope))
		SKIP(return, "no Yama");
	ASSERT_EQ(0, priv_target_start(&other, "uid 1000", 1000, true));
	ASSERT_EQ(0, priv_target_start(&child, "own child", 0, true));
	ASSERT_EQ(0, priv_write(YAMA_SCOPE, "3"));
	ASSERT_EQ(0, priv_read_int(YAMA_SCOPE, &scope));
	ASSERT_EQ(3, scope);
	ASSERT_EQ(0, priv_become(&root) ? 1 : 0);
	ASSERT_EQ(0, tsnl_open(&nl));

	priv_probe(&nl, child.pid, child.pid, "root -> own child", &g[0]);
	priv_probe(&nl, other.pid, other.pid, "root -> uid 1000", &g[1]);
	priv_probe(&nl, getpid(), getpid(), "root -> itself", &g[2]);
	for (i = 0; i < 3; i++)
		EXPECT_TRUE(priv_agrees(&g[i], diff, sizeof(diff))) {
			TH_LOG("%s", diff);
		}
	EXPECT_TRUE(g[0].get_withheld & THREADSTAT_FIELDS_REGS);
	EXPECT_FALSE(g[0].proc[0]);
	EXPECT_TRUE(g[1].get_withheld & THREADSTAT_FIELDS_REGS);
	EXPECT_EQ(0U, g[2].get_withheld);
	EXPECT_TRUE(g[2].get_attrs[0]);
	TH_LOG("scope 3: root gets regs of itself only (withheld: child %#x, uid 1000 %#x, itself %#x)",
	       g[0].get_withheld, g[1].get_withheld, g[2].get_withheld);
	tsnl_close(&nl);
	priv_target_stop(&child);
	priv_target_stop(&other);
}

TEST_HARNESS_MAIN
