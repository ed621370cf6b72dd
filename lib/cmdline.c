// SPDX-License-Identifier: MIT
/* Kernel command line splitting. */
#include <kairos/cmdline.h>

static bool is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/*
 * Cut the word at @args, removing quotes as it is compacted in place, and
 * return where the next word may start.
 */
static char *next_arg(char *args, char **param, char **val)
{
	char *in = args, *out = args, *equals = NULL, *rest;
	bool quoted = false;

	for (; *in; in++) {
		if (*in == '"') {
			quoted = !quoted;
			continue;
		}
		if (!quoted && is_space(*in))
			break;
		if (*in == '=' && !equals)
			equals = out;
		*out++ = *in;
	}
	/* @out never passes @in, so terminating the word cannot eat the rest. */
	rest = *in ? in + 1 : in;
	*out = '\0';

	*param = args;
	*val = NULL;
	if (equals) {
		*equals = '\0';
		*val = equals + 1;
	}
	return rest;
}

int parse_args(char *args, int (*handler)(char *param, char *val, void *arg),
	       void *arg)
{
	char *param, *val;
	int ret;

	for (;;) {
		while (is_space(*args))
			args++;
		if (!*args)
			return 0;
		args = next_arg(args, &param, &val);
		ret = handler(param, val, arg);
		if (ret)
			return ret;
	}
}

static char dash_to_underscore(char c)
{
	return c == '-' ? '_' : c;
}

bool parameq(const char *a, const char *b)
{
	/* A shorter string's NUL mismatches first, so neither is overrun. */
	for (; *a || *b; a++, b++) {
		if (dash_to_underscore(*a) != dash_to_underscore(*b))
			return false;
	}
	return true;
}
