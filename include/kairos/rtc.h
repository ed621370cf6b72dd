/* SPDX-License-Identifier: MIT */
/* The battery-backed real-time clock, read once at boot for the wall clock. */
#ifndef KAIROS_RTC_H
#define KAIROS_RTC_H

#include <kairos/types.h>

/* Seconds since the epoch from the device tree's RTC: 0, or -ENODEV without one. */
int rtc_read_time(u64 *secs);

#endif
