/* SPDX-License-Identifier: MIT */
/* prctl(2) options as the Linux ABI numbers them (those Kairos answers). */
#ifndef UAPI_PRCTL_H
#define UAPI_PRCTL_H

#define PR_SET_PDEATHSIG	1
#define PR_GET_PDEATHSIG	2
#define PR_SET_NAME		15
#define PR_GET_NAME		16
#define PR_SET_CHILD_SUBREAPER	36
#define PR_GET_CHILD_SUBREAPER	37

#endif
