# wu_native: `make demo` and `make test` do all the set-up on a fresh Debian machine.
SHELL := /bin/bash
CARGO ?= cargo
EXT := $(CURDIR)/target/release/libwu_native.so

.PHONY: all deps deps-test build dist test test-matrix test-rust test-php test-wp test-browser demo install readme clean soak soak-short bench fuzz

all: build

## Install PHP (dev, cli; PHP_VERSION=8.4 to choose), libclang and PHPUnit when missing (Debian, apt-get).
deps:
	@scripts/deps.sh

## Build the extension and the sandbox panel (release).
build: deps
	$(CARGO) build --release -p wu_native -p wu_sandbox
	@echo "==> built $(EXT)"

## Everything: Rust tests, PHPUnit against the built extension, the WordPress
## glue in a real multisite, its admin page in headless Chromium, and a short php-fpm soak.
test: deps-test build test-rust test-php test-wp test-browser soak-short

## The PHP matrix: `make test` on this machine's PHP, then PHP 8.4 + WordPress 6.8
## (and PIE's phpize build) in a cached Debian 13 root (needs root).
test-matrix: test
	@scripts/test-matrix.sh

## One install for all that `make test` needs (PHP, WordPress, MariaDB, php-fpm, Chromium).
deps-test:
	@scripts/deps.sh build wp soak browser

test-rust:
	$(CARGO) test --release -p wu_native_core -p wu_sandbox -p wu_soak

test-php:
	@scripts/test-php.sh

## The WordPress glue (php/) in a real multisite: Debian's wordpress + MariaDB, the sandbox panel.
test-wp: build
	@scripts/wp-test.sh

## The network admin page in Debian's headless Chromium (chromedriver), served by PHP's built-in web server.
test-browser: build
	@scripts/browser-test.sh

## Load: php-fpm workers under 20,000 add/remove calls over FastCGI; failed calls, crashes, RSS growth.
soak: build
	$(CARGO) build --release -q -p wu_soak
	@scripts/soak.sh full

## The short soak (3,000 calls): fails on any crash, failed call or RSS growth over 4 MB.
soak-short: build
	$(CARGO) build --release -q -p wu_soak
	@scripts/soak.sh short

## Side-by-side benchmark, native vs the plugin's PHP path (WordPress HTTP API), HTTP and HTTPS; writes bench/results.md.
bench: build
	@scripts/bench.sh

## Fuzz host names, settings and each panel's answers (cargo-fuzz, FUZZ_SECONDS each, default 30); not part of `make test`.
fuzz:
	@scripts/fuzz.sh

## Build, start the sandbox, map and unmap customer.example through the extension.
demo: build
	@scripts/demo.sh

## Install this build for this machine's PHP (enable it for every SAPI, reload php-fpm).
## For every PHP on the server from dist/ zips: scripts/install.sh (see --help).
install: build
	@scripts/install.sh --ext $(EXT) --php $$(php -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;')

## Prebuilt zips named the PIE way, for this machine's PHP and 8.4 (Debian 13 root), glibc >= 2.31.
dist:
	@scripts/dist.sh

## Regenerate the README's constants table from the providers' settings.
readme:
	$(CARGO) run --release -q -p wu_native_core --example readme

clean:
	$(CARGO) clean
