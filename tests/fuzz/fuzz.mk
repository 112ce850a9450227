# tests/fuzz/fuzz.mk: libFuzzer targets for the parsers, built with clang
# (-fsanitize=fuzzer,address,undefined). Run from the repository root:
#
#     make -f tests/fuzz/fuzz.mk [FUZZ_SECONDS=60]   build all, run each
#     make -f tests/fuzz/fuzz.mk fuzz-build          build only
#     make -f tests/fuzz/fuzz.mk FUZZ_TARGETS=hashtag   build and run one
#
# Everything goes to build/fuzz/: the binaries fuzz_<target>, objects,
# each target's working corpus (corpus/<target>/: the seeds of
# tests/fuzz/corpus/<target>/ copied in, plus what earlier runs found), its
# log (<target>.log) and any reproducer (<target>-crash-<sha1>, -leak-,
# -timeout-, -oom-). Run one again with build/fuzz/fuzz_<target> <file>.
# Self-contained: it reads nothing from the top Makefile, and lists the
# sources of each module it links by wildcard.

FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= frontmatter hashtag highlight mustache code_options
FUZZ_CC      ?= clang
FUZZ_OUT     := build/fuzz
FUZZ_MK      := tests/fuzz/fuzz.mk

# libFuzzer and the sanitizer runtimes are in libclang-rt-14-dev (through
# libclang-rt-dev), which Debian 12's clang only recommends.
FUZZ_LIB_PKGS   := pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev \
                   libyaml-dev libutf8proc-dev
FUZZ_CLANG_PKGS := clang libclang-rt-dev

FUZZ_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS := -std=c11 -Wall -Wextra -D_GNU_SOURCE -DGZ_DEBUG_ARENA \
               -DGZ_VERSION='"fuzz"' -g -O1 -fno-omit-frame-pointer -MMD -MP
FUZZ_PKGS   := libcmark-gfm yaml-0.1 libutf8proc libgit2
# Recursive: pkg-config runs when a recipe needs it, after fuzz-deps.
FUZZ_PKG_CFLAGS = $(shell pkg-config --cflags $(FUZZ_PKGS))
FUZZ_LIBS       = $(shell pkg-config --libs $(FUZZ_PKGS)) \
                  -lcmark-gfm-extensions -lpthread
# source.c holds libgit2's TLS certificates back (see the top Makefile): a
# target with it links with the same --wrap, and mbedtls' x509 library.
FUZZ_TLS := -lmbedx509 -Wl,--wrap=mbedtls_x509_crt_parse_file

# Each module's sources, so that new files are picked up.
FUZZ_BASE      := $(sort $(wildcard generator/base/*.c)) generator/diag.c
FUZZ_HASHTAG   := $(sort $(wildcard generator/hashtag/*.c))
FUZZ_HIGHLIGHT := $(sort $(wildcard generator/highlight/*.c))
FUZZ_SOURCE    := $(sort $(wildcard generator/source/*.c))
FUZZ_PARSE     := $(sort $(wildcard generator/parse/*.c))
FUZZ_MODEL     := $(sort $(wildcard generator/model/*.c))
FUZZ_MUSTACHE  := $(sort $(wildcard generator/mustache/*.c))

# What each target links besides its own file.
FUZZ_SRCS_hashtag      := $(FUZZ_BASE) $(FUZZ_HASHTAG)
FUZZ_SRCS_highlight    := $(FUZZ_BASE) $(FUZZ_HIGHLIGHT)
FUZZ_SRCS_mustache     := $(FUZZ_BASE) $(FUZZ_MUSTACHE)
FUZZ_SRCS_frontmatter  := $(FUZZ_BASE) $(FUZZ_HASHTAG) $(FUZZ_HIGHLIGHT) \
                          $(FUZZ_SOURCE) $(FUZZ_PARSE) $(FUZZ_MODEL)
FUZZ_SRCS_code_options := $(FUZZ_SRCS_frontmatter)

FUZZ_BINS := $(FUZZ_TARGETS:%=$(FUZZ_OUT)/fuzz_%)
fuzz_objs  = $(patsubst %.c,$(FUZZ_OUT)/obj/%.o,$(1))

.PHONY: fuzz-run fuzz-build fuzz-deps fuzz-clean
.DELETE_ON_ERROR:
.SECONDARY:

fuzz-run: fuzz-build
	@sh tests/fuzz/run.sh $(FUZZ_OUT) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-build: $(FUZZ_BINS)

# Installs what is missing, as the top Makefile's install-packages does:
# the libraries' -dev packages, and clang with libFuzzer unless a probe
# program links with -fsanitize=fuzzer already.
fuzz-deps:
	@mkdir -p $(FUZZ_OUT)
	@missing=$$(for p in $(FUZZ_LIB_PKGS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
		grep -q 'install ok installed' || echo $$p; done); \
	printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)\n{ (void)d, (void)n; return 0; }\n' \
		> $(FUZZ_OUT)/probe.c; \
	command -v $(FUZZ_CC) >/dev/null && \
		$(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_SAN) -o $(FUZZ_OUT)/probe \
		$(FUZZ_OUT)/probe.c >/dev/null 2>&1 || \
		missing="$$missing $(FUZZ_CLANG_PKGS)"; \
	rm -f $(FUZZ_OUT)/probe $(FUZZ_OUT)/probe.c; \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# Library objects get coverage instrumentation; only the link adds
# libFuzzer's main.
$(FUZZ_OUT)/obj/%.o: %.c | fuzz-deps
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(FUZZ_SAN) \
		$(FUZZ_PKG_CFLAGS) -c -o $@ $<

.SECONDEXPANSION:
$(FUZZ_OUT)/fuzz_%: $$(call fuzz_objs,tests/fuzz/fuzz_$$*.c $$(FUZZ_SRCS_$$*))
	$(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $^ $(FUZZ_LIBS) \
		$(if $(filter %/source/source.o,$^),$(FUZZ_TLS))

fuzz-clean:
	rm -rf $(FUZZ_OUT)

-include $(shell find $(FUZZ_OUT)/obj -name '*.d' 2>/dev/null)
