# Added by config.m4 to the Makefile phpize generates.
WU_NATIVE_TARGET_DIR = $(if $(CARGO_TARGET_DIR),$(CARGO_TARGET_DIR),$(builddir)/target)

all: $(builddir)/modules/wu_native.so

$(builddir)/modules/wu_native.so: FORCE
	PHP="$(WU_NATIVE_PHP)" PHP_CONFIG="$(WU_NATIVE_PHP_CONFIG)" "$(WU_NATIVE_CARGO)" build --release --locked \
		--manifest-path "$(srcdir)/Cargo.toml" -p wu_native --target-dir "$(WU_NATIVE_TARGET_DIR)"
	mkdir -p $(builddir)/modules
	cp "$(WU_NATIVE_TARGET_DIR)/release/libwu_native.so" $@

.PHONY: FORCE
FORCE:
