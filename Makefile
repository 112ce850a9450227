# gazette: a static site generator for channel-style publishing.
# Plain make: explicit source lists, pkg-config for the libraries.

PREFIX    ?= /usr/local
CC        ?= cc
PKGS      := libcmark-gfm yaml-0.1 libgit2 libutf8proc libmicrohttpd jansson
DEB_PKGS  := build-essential pkg-config git libcmark-gfm-dev \
             libcmark-gfm-extensions-dev libyaml-dev libgit2-dev \
             libutf8proc-dev libmicrohttpd-dev libjansson-dev
# The real code the lexers are checked on (tests/lexers.tsv's third column).
# (npm:NAME@VERSION entries are npm packages: tests/check_lexers.py unpacks
# them.) Installed without what they recommend: no web or database server.
LEXER_PKGS = $(shell sed -n '/^[^\#]/p' tests/lexers.tsv | cut -f3 | tr ',' '\n' | \
             grep -v '^npm:')
TEST_PKGS := $(DEB_PKGS) libcmocka-dev python3 python3-pygments chromium \
             strace gdb python3-feedparser libxml2-utils nginx wget \
             ca-certificates openssl \
             python3-selenium chromium-driver
VERSION   := 0.1.0

CFLAGS    ?= -O2 -g
GZ_CFLAGS := -std=c11 -Wall -Wextra -Wpedantic -D_GNU_SOURCE \
             -DGZ_VERSION='"$(VERSION)"' -MMD -MP
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# The libraries are linked statically: each -dev package has its .a, and
# libgit2-dev brings those of libgit2's own libraries. Mapping 23 shared
# objects took 5-7 ms of every run (a rebuild of 10,000 posts with nothing
# changed takes 36); static, a run starts in 3. libc stays shared, and
# libgssapi_krb5, which libgit2 needs and Debian ships no .a of.
# libmicrohttpd is not linked: serve/mhd.c loads it when serve starts. The
# archives are prerequisites of the binary, so that make links it again
# when Debian updates one.
STATIC_LIBS := cmark-gfm-extensions cmark-gfm yaml git2 mbedtls mbedx509 \
               mbedcrypto http_parser ssh2 crypto pcre2-8 z utf8proc jansson
LIB_DIR     = $(shell pkg-config --variable=libdir libgit2 2>/dev/null)
STATIC_ARCHIVES = $(wildcard $(STATIC_LIBS:%=$(LIB_DIR)/lib%.a))
# libgit2's start leaves the TLS certificates and libssh2's start to
# source_libgit2_remote.
PKG_LIBS   = -Wl,-Bstatic $(STATIC_LIBS:%=-l%) -Wl,-Bdynamic \
             -l:libgssapi_krb5.so.2 -lpthread \
             -Wl,--wrap=mbedtls_x509_crt_parse_file -Wl,--wrap=libssh2_init
BUILD     ?= build
BIN       ?= gazette

# One line per module, in pipeline order; base/ and diag under them all.
BASE_SRCS      := $(addprefix generator/base/,base.c arena.c fs.c utf8.c html.c jobs.c \
                  progress.c hash.c) \
                  generator/diag.c
SOURCE_SRCS    := $(addprefix generator/source/,source.c worktree.c history.c gitdiag.c cache.c)
HASHTAG_SRCS   := $(addprefix generator/hashtag/,hashtag.c entities.c)
HIGHLIGHT_SRCS := generator/highlight/highlight.c generator/highlight/engine.c \
                  $(sort $(wildcard generator/highlight/lex_*.c))
PARSE_SRCS     := $(addprefix generator/parse/,timestamp.c yaml.c \
                  frontmatter.c document.c config.c markdown.c tagging.c \
                  code.c slug.c parse.c pool.c cache.c spans.c)
MODEL_SRCS     := $(addprefix generator/model/,model.c paths.c tags.c \
                  digest.c)
MUSTACHE_SRCS  := $(addprefix generator/mustache/,value.c mustache.c \
                  mustache_render.c)
RENDER_SRCS    := $(addprefix generator/render/,output.c theme.c views.c \
                  render.c urls.c feeds.c sitemap.c files.c redirect.c)
WRITE_SRCS     := $(addprefix generator/write/,place.c journal.c write.c)
DEPLOY_SRCS    := generator/deploy/deploy.c
CHECK_SRCS     := generator/check/check.c
NEW_SRCS       := generator/new/new.c
IMPORT_SRCS    := $(sort $(wildcard generator/import/*.c))
SERVE_SRCS     := $(addprefix generator/serve/,serve.c http.c watch.c mhd.c)

LIB_SRCS := $(BASE_SRCS) $(SOURCE_SRCS) $(HASHTAG_SRCS) $(HIGHLIGHT_SRCS) \
            $(PARSE_SRCS) $(MODEL_SRCS) $(MUSTACHE_SRCS) $(RENDER_SRCS) \
            $(WRITE_SRCS) $(DEPLOY_SRCS) $(CHECK_SRCS) $(NEW_SRCS) $(IMPORT_SRCS) \
            $(SERVE_SRCS) generator/build.c

UNIT_TESTS := base mustache source parse hashtag highlight model render write \
              deploy serve

LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o) $(BUILD)/theme_data.o

# The text scanners stand alone: their tests and the driver link base/ and
# utf8proc only, never cmark-gfm or libyaml.
BASE_OBJS      := $(BASE_SRCS:%.c=$(BUILD)/%.o)
HASHTAG_OBJS   := $(HASHTAG_SRCS:%.c=$(BUILD)/%.o) $(BASE_OBJS)
HIGHLIGHT_OBJS := $(HIGHLIGHT_SRCS:%.c=$(BUILD)/%.o) $(BASE_OBJS)
SCANNER_LIBS    = $(shell pkg-config --libs libutf8proc) -lpthread

THEME_FILES := $(shell find themes/default -type f 2>/dev/null | LC_ALL=C sort)

.PHONY: all deps test-deps site test bench asan ubsan regen install clean \
        fuzz fuzz-build lexers

all: $(BIN)

$(BIN): $(BUILD)/generator/main.o $(BUILD)/libgazette.a $(STATIC_ARCHIVES)
	$(CC) $(LDFLAGS) -o $@ $(BUILD)/generator/main.o $(BUILD)/libgazette.a \
		$(PKG_LIBS)

$(BUILD)/libgazette.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(GZ_CFLAGS) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

# The default theme is compiled into the binary, so an installed gazette
# works on a site without themes/ of its own.
$(BUILD)/embed: generator/tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O2 -o $@ $<

$(BUILD)/theme_data.c: $(BUILD)/embed $(THEME_FILES)
	$(BUILD)/embed themes/default $(THEME_FILES) > $@.tmp && mv $@.tmp $@

$(BUILD)/theme_data.o: $(BUILD)/theme_data.c
	$(CC) -std=c11 -O1 -I. -c -o $@ $<

# Highlights files from the command line: for the fidelity check and the
# highlighting benchmark.
$(BUILD)/highlight_driver: tests/highlight_driver.c $(HIGHLIGHT_OBJS)
	$(CC) $(GZ_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(filter %.o,$^) $(SCANNER_LIBS)

# The floor of writing a cold build's output: for make bench.
$(BUILD)/write_floor: tests/write_floor.c
	@mkdir -p $(dir $@)
	$(CC) $(GZ_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $<

$(BUILD)/test_hashtag: tests/unit/test_hashtag.c $(HASHTAG_OBJS)
	$(CC) $(GZ_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(filter %.o,$^) $(SCANNER_LIBS) -lcmocka

$(BUILD)/test_highlight: tests/unit/test_highlight.c $(HIGHLIGHT_OBJS)
	$(CC) $(GZ_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(filter %.o,$^) $(SCANNER_LIBS) -lcmocka

$(BUILD)/test_%: tests/unit/test_%.c $(BUILD)/libgazette.a
	$(CC) $(GZ_CFLAGS) $(CFLAGS) $(LDFLAGS) $(PKG_CFLAGS) -o $@ $< \
		$(BUILD)/libgazette.a $(PKG_LIBS) -lcmocka

# Installs the missing Debian packages; nothing to do when all are there.
# The tests also need cmocka, python3 and a real browser.
deps:
	@$(MAKE) -s install-packages PACKAGES="$(DEB_PKGS)"

# The Nu HTML checker (vnu-jar, from the npm registry) runs on Java.
VNU := build/tools/node_modules/vnu-jar/build/dist/vnu.jar

test-deps:
	@$(MAKE) -s install-packages PACKAGES="$(TEST_PKGS)"
	@$(MAKE) -s install-packages PACKAGES="$(LEXER_PKGS)" \
		APT_OPTS=--no-install-recommends
	@command -v java >/dev/null || \
		$(MAKE) -s install-packages PACKAGES=default-jre-headless
	@command -v npm >/dev/null || $(MAKE) -s install-packages PACKAGES=npm
	@[ -f $(VNU) ] || npm install --silent --no-audit --no-fund \
		--prefix build/tools vnu-jar

install-packages:
	@missing=$$(for p in $(PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
		grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
			$(APT_OPTS) $$missing; \
	fi

site: deps
	$(MAKE) gazette
	./gazette build
	@echo "The example site is in $(CURDIR)/public/ (open public/index.html)"

test: test-deps
	$(MAKE) $(BIN) $(UNIT_TESTS:%=$(BUILD)/test_%) $(BUILD)/highlight_driver
	@GAZETTE=$(CURDIR)/$(BIN) VNU=$(CURDIR)/$(VNU) BUILD=$(BUILD) \
		HIGHLIGHT_DRIVER=$(CURDIR)/$(BUILD)/highlight_driver \
		UNIT_TESTS="$(UNIT_TESTS)" TESTS="$(TESTS)" sh tests/run.sh

# The sanitizer builds live in build/*/, binary included.
# The publish check's signal trials run 5 times each under the sanitizers
# (20 in make test): the same paths, a quarter of the time. Time limits
# (serve's reload within 1 s) are 4 times as long: the code runs slower.
asan:
	PUBLISH_TRIALS=5 TIME_FACTOR=4 HOSTILE_BYTES=262144 $(MAKE) BUILD=build/asan BIN=build/asan/gazette CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -DGZ_DEBUG_ARENA" LDFLAGS="-fsanitize=address,undefined" test

ubsan:
	$(MAKE) BUILD=build/ubsan BIN=build/ubsan/gazette CFLAGS="-O1 -g -fsanitize=undefined -fno-sanitize-recover=undefined" LDFLAGS="-fsanitize=undefined" test

bench: deps
	@$(MAKE) -s install-packages PACKAGES="hugo bc python3 python3-pygments time git $(LEXER_PKGS)"
	$(MAKE) gazette $(BUILD)/highlight_driver $(BUILD)/write_floor
	BENCH_POSTS="$(BENCH_POSTS)" BENCH_RUNS="$(BENCH_RUNS)" \
		WRITE_FLOOR=$(CURDIR)/$(BUILD)/write_floor bash tests/bench.sh
	/usr/bin/python3 tests/bench_highlight.py $(BUILD)/highlight_driver $(LEXERS)

# Every lexer on every file of its corpus, not a sample (some minutes).
lexers: test-deps
	$(MAKE) $(BUILD)/highlight_driver
	LEXER_SAMPLE=0 /usr/bin/python3 tests/check_lexers.py $(BUILD)/highlight_driver $(LEXERS)

# libFuzzer targets (tests/fuzz/), each run FUZZ_SECONDS on its corpus.
FUZZ_SECONDS ?= 60
fuzz:
	$(MAKE) -f tests/fuzz/fuzz.mk FUZZ_SECONDS=$(FUZZ_SECONDS)

fuzz-build:
	$(MAKE) -f tests/fuzz/fuzz.mk fuzz-build

regen: gazette
	sh tests/e2e.sh --regen

install: gazette
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/gazette
	install -m 755 gazette $(DESTDIR)$(PREFIX)/bin/gazette
	cp -R themes $(DESTDIR)$(PREFIX)/share/gazette/

clean:
	rm -rf build gazette public

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
-include Makefile.local
