#!/usr/bin/env bash
# What the WordPress tests and the benchmark need (see scripts/deps.sh).
exec "$(dirname "$0")/deps.sh" wp
