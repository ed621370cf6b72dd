/* SPDX-License-Identifier: MIT */
/*
 * The test initramfs, plain and gzip-compressed, and its manifest, as
 * tests/fs/mkinitramfs-test.py made them at build time (paths from tests/tests.mk).
 */
	.section .rodata
	.balign 8
	.globl test_initramfs_cpio, test_initramfs_cpio_end
test_initramfs_cpio:
	.incbin TEST_INITRAMFS_CPIO
test_initramfs_cpio_end:

	.balign 8
	.globl test_initramfs_gz, test_initramfs_gz_end
test_initramfs_gz:
	.incbin TEST_INITRAMFS_GZ
test_initramfs_gz_end:

	.globl test_initramfs_manifest
test_initramfs_manifest:
	.incbin TEST_INITRAMFS_MANIFEST
	.byte 0
