dnl wu_native is written in Rust: phpize && ./configure && make runs cargo
dnl for the PHP this configure was made for, and leaves modules/wu_native.so
dnl for `make install` (what PIE does when it builds from source).
PHP_ARG_ENABLE([wu_native],
  [whether to build wu_native],
  [AS_HELP_STRING([--enable-wu-native], [Build the wu_native extension (needs Rust's cargo and libclang)])],
  [yes])

if test "$PHP_WU_NATIVE" != "no"; then
  AC_PATH_PROG([WU_NATIVE_CARGO], [cargo], [no], [$PATH:$HOME/.cargo/bin])
  if test "$WU_NATIVE_CARGO" = "no"; then
    AC_MSG_ERROR([wu_native is built with Rust: install it (https://rustup.rs), then run configure again])
  fi
  dnl ext-php-rs reads the headers from PHP_CONFIG and the API from PHP: both must name this PHP.
  WU_NATIVE_PHP_CONFIG=`command -v "$PHP_CONFIG"`
  WU_NATIVE_PHP=`"$WU_NATIVE_PHP_CONFIG" --php-binary`
  AC_MSG_CHECKING([for the PHP wu_native is built for])
  AC_MSG_RESULT([$WU_NATIVE_PHP (php-config: $WU_NATIVE_PHP_CONFIG)])
  PHP_SUBST([WU_NATIVE_CARGO])
  PHP_SUBST([WU_NATIVE_PHP_CONFIG])
  PHP_SUBST([WU_NATIVE_PHP])
  PHP_ADD_MAKEFILE_FRAGMENT([$abs_srcdir/Makefile.frag], [$abs_srcdir], [$abs_builddir])
fi
