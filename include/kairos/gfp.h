/* SPDX-License-Identifier: MIT */
/*
 * Allocation flags. Nothing in the allocators sleeps or reclaims yet, so GFP_KERNEL and
 * GFP_ATOMIC behave alike today; callers still say which they mean so that the day
 * reclaim exists, atomic callers are already marked.
 */
#ifndef KAIROS_GFP_H
#define KAIROS_GFP_H

typedef unsigned int gfp_t;

#define __GFP_ZERO	((gfp_t)0x1)	/* return zeroed memory */
#define __GFP_RECLAIM	((gfp_t)0x2)	/* the caller may sleep */
#define __GFP_HIGH	((gfp_t)0x4)	/* the caller cannot sleep (IRQ context, lock held) */

#define GFP_KERNEL	__GFP_RECLAIM
#define GFP_ATOMIC	__GFP_HIGH

#endif
