// SPDX-License-Identifier: MIT
/*
 * "#!interpreter [argument]" scripts: run the interpreter with argv
 * [interpreter, argument (if any, as one string), script name, argv[1]...].
 */
#include <kairos/binfmts.h>
#include <kairos/bug.h>
#include <kairos/err.h>
#include <kairos/fs.h>
#include <kairos/string.h>
#include <uapi/errno.h>

static bool spacetab(char c)
{
	return c == ' ' || c == '\t';
}

static int load_script(struct linux_binprm *bprm)
{
	char *buf = bprm->buf, *end, *interp, *arg = NULL, *p;
	const char *args[3];
	struct file *file;
	int n = 0, err;

	BUILD_BUG_ON(BINPRM_BUF_SIZE < 4);

	if (buf[0] != '#' || buf[1] != '!')
		return -ENOEXEC;
	/* The line must end within the buffer, unless what fits is already complete
	 * (the interpreter name and any argument end before the buffer does). */
	end = memchr(buf, '\n', BINPRM_BUF_SIZE);
	if (!end) {
		end = buf + BINPRM_BUF_SIZE - 1;
		for (p = buf + 2; p < end && spacetab(*p); p++)
			;
		for (; p < end && !spacetab(*p); p++)
			;
		if (p == end)
			return -ENOEXEC;	/* the interpreter's name is cut off */
	}
	*end = '\0';
	while (end > buf + 2 && spacetab(end[-1]))
		*--end = '\0';
	for (interp = buf + 2; spacetab(*interp); interp++)
		;
	if (!*interp)
		return -ENOEXEC;
	for (p = interp; *p && !spacetab(*p); p++)
		;
	if (*p) {
		*p++ = '\0';
		while (spacetab(*p))
			p++;
		if (*p)
			arg = p;
	}

	args[n++] = interp;
	if (arg)
		args[n++] = arg;
	args[n++] = bprm->interp;		/* this script: for a nested one, its name */
	err = bprm_replace_argv0(bprm, args, n);
	if (err)
		return err;

	file = open_exec(interp);
	if (IS_ERR(file))
		return PTR_ERR(file);
	err = bprm_set_interp(bprm, interp);
	if (err) {
		fput(file);
		return err;
	}
	bprm->interpreter = file;	/* exec_binprm runs it next */
	return 0;
}

const struct linux_binfmt script_format = {
	.name = "script",
	.load_binary = load_script,
};
