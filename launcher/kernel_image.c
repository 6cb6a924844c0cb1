// SPDX-License-Identifier: GPL-2.0
/*L:310
 * What the user hands us as a kernel is usually a bzImage, the file every
 * distribution ships and every boot loader understands, and sometimes a
 * raw vmlinux.  A bzImage is 16-bit setup code, a header describing it,
 * and a compressed payload which is itself the vmlinux ELF file.  Real
 * boot loaders jump into the setup code; we are not a boot loader, and
 * our Guest cannot run 16-bit code anyway, so we read the header, find
 * the payload, decompress it with zlib and load the ELF inside as if the
 * user had given us the vmlinux in the first place.
 *
 * Every way this can go wrong is a way a user's file can be wrong, so
 * each gets its own message.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <elf.h>
#include <gelf.h>
#include <libelf.h>
#include <zlib.h>
#include <lguest_abi.h>
#include "kernel_image.h"
#include "error_text.h"

/* Where the boot protocol's setup header keeps what we need. */
#define BZ_SETUP_SECTS		0x1F1
#define BZ_HEADER_MAGIC		0x202	/* "HdrS" */
#define BZ_VERSION		0x206
#define BZ_XLOADFLAGS		0x236
#define BZ_PAYLOAD_OFFSET	0x248
#define BZ_PAYLOAD_LENGTH	0x24C
#define BZ_HEADER_END		0x250
#define XLF_KERNEL_64		0x1
/* payload_offset and payload_length arrived in boot protocol 2.08. */
#define BZ_MIN_VERSION		0x0208

static uint32_t get32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/*L:320
 * An ELF kernel must be 32-bit x86: a 64-bit kernel cannot run in the
 * compatibility-mode ring 1 our Guests live in.
 */
static int check_elf(const unsigned char *elf, size_t len, const char *what,
		     char *err, size_t errlen)
{
	if (len < EI_NIDENT + 4 || memcmp(elf, ELFMAG, SELFMAG))
		return error_text(err, errlen, "%s is not an ELF kernel", what);
	if (elf[EI_CLASS] == ELFCLASS64)
		return error_text(err, errlen,
				  "%s is a 64-bit kernel: lguest Guests are 32-bit x86",
				  what);
	if (elf[EI_CLASS] != ELFCLASS32 || elf[EI_DATA] != ELFDATA2LSB ||
	    (elf[18] | elf[19] << 8) != EM_386)
		return error_text(err, errlen, "%s is not a 32-bit x86 kernel", what);
	return 0;
}

/*L:330
 * The payload is a gzip stream.  Its last four bytes give the
 * uncompressed size (modulo 4 GiB, which no kernel approaches), so one
 * allocation suffices; we still refuse anything absurd before trusting
 * it, and check that zlib's idea of the end agrees.
 */
static int gunzip_payload(const unsigned char *gz, size_t gzlen,
			  unsigned char **out, size_t *outlen,
			  char *err, size_t errlen)
{
	z_stream zs = { 0 };
	unsigned char *buf;
	size_t size;
	int ret;

	if (gzlen < 18 || gz[0] != 0x1F || gz[1] != 0x8B)
		return error_text(err, errlen,
				  "the bzImage payload is not gzip-compressed (build the Guest with CONFIG_KERNEL_GZIP)");
	size = get32(gz + gzlen - 4);
	if (size < EI_NIDENT || size > KERNEL_IMAGE_MAX)
		return error_text(err, errlen,
				  "the bzImage payload claims %zu bytes uncompressed: corrupt or truncated",
				  size);
	buf = malloc(size);
	if (!buf)
		return error_text(err, errlen, "out of memory decompressing the kernel");

	/* 16 + MAX_WBITS: a gzip header, not a bare zlib one. */
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
		free(buf);
		return error_text(err, errlen, "zlib cannot start: %s", zlibVersion());
	}
	zs.next_in = (unsigned char *)gz;
	zs.avail_in = gzlen;
	zs.next_out = buf;
	zs.avail_out = size;
	ret = inflate(&zs, Z_FINISH);
	inflateEnd(&zs);
	if (ret != Z_STREAM_END || zs.total_out != size) {
		free(buf);
		return error_text(err, errlen,
				  "the bzImage payload is corrupt or truncated (zlib: %s)",
				  zs.msg ? zs.msg : "stream ended early");
	}
	*out = buf;
	*outlen = size;
	return 0;
}

int kernel_image_elf(const unsigned char *file, size_t len,
		     unsigned char **elf, size_t *elf_len,
		     char *err, size_t errlen)
{
	uint32_t off, plen, setup_end;
	unsigned int version;

	err[0] = '\0';
	if (len >= SELFMAG && !memcmp(file, ELFMAG, SELFMAG)) {
		if (check_elf(file, len, "the kernel", err, errlen))
			return -1;
		*elf = (unsigned char *)file;
		*elf_len = len;
		return 0;
	}

	if (len < BZ_HEADER_END || memcmp(file + BZ_HEADER_MAGIC, "HdrS", 4))
		return error_text(err, errlen,
				  "not a Linux kernel image (neither a bzImage nor an ELF vmlinux)");
	version = file[BZ_VERSION] | file[BZ_VERSION + 1] << 8;
	if (version < BZ_MIN_VERSION)
		return error_text(err, errlen,
				  "bzImage boot protocol %u.%02u is too old (need 2.08 or later)",
				  version >> 8, version & 0xFF);
	if (file[BZ_XLOADFLAGS] & XLF_KERNEL_64)
		return error_text(err, errlen,
				  "this bzImage is a 64-bit kernel: lguest Guests are 32-bit x86");

	/* The payload offset counts from the end of the setup code. */
	setup_end = ((file[BZ_SETUP_SECTS] ? file[BZ_SETUP_SECTS] : 4) + 1) * 512;
	off = get32(file + BZ_PAYLOAD_OFFSET);
	plen = get32(file + BZ_PAYLOAD_LENGTH);
	if (setup_end > len || off > len - setup_end ||
	    plen > len - setup_end - off)
		return error_text(err, errlen,
				  "the bzImage is truncated (its payload ends past the file)");

	if (gunzip_payload(file + setup_end + off, plen, elf, elf_len, err,
			   errlen))
		return -1;
	if (check_elf(*elf, *elf_len, "the bzImage payload", err, errlen)) {
		free(*elf);
		return -1;
	}
	return 0;
}

/*L:340
 * The lguest note is found with libelf, walking every note section (a
 * stripped kernel keeps its notes: boot loaders and hypervisors rely on
 * them).
 */
long kernel_lguest_abi(const unsigned char *image, size_t len)
{
	Elf *elf = elf_memory((char *)image, len);
	Elf_Scn *scn = NULL;
	long abi = 0;

	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		if (elf)
			elf_end(elf);
		return -1;
	}
	while (!abi && (scn = elf_nextscn(elf, scn)) != NULL) {
		GElf_Shdr shdr;
		GElf_Nhdr nhdr;
		Elf_Data *data;
		size_t off = 0, name_off, desc_off;

		if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != SHT_NOTE)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data)
			continue;
		while ((off = gelf_getnote(data, off, &nhdr, &name_off,
					   &desc_off)) > 0) {
			const char *name = (const char *)data->d_buf + name_off;

			if (nhdr.n_type == LGUEST_ELFNOTE_ABI &&
			    nhdr.n_namesz == sizeof(LGUEST_ELFNOTE_NAME) &&
			    !memcmp(name, LGUEST_ELFNOTE_NAME,
				    sizeof(LGUEST_ELFNOTE_NAME)) &&
			    nhdr.n_descsz == 4) {
				abi = get32((const unsigned char *)data->d_buf +
					    desc_off);
				break;
			}
		}
	}
	elf_end(elf);
	return abi;
}
