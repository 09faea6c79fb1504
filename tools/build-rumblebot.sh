#!/usr/bin/env bash
# Builds upstream RobotRumble's `rumblebot` CLI from its sources, as the
# oracle the RobotRumble tests and benchmark compare against.
#
# Upstream is GPL-3.0; nothing of it is committed here. The sources come from
# outside the repository:
#   RR_LOGIC_SRC  a checkout of https://github.com/robot-rumble/logic
#   RR_CLI_SRC    a checkout of https://github.com/robot-rumble/cli
# (here: `git -C /work/.mirror/robot-rumble+logic/repo archive HEAD` and the
# same for robot-rumble+cli, the mirrors the fetch tool makes; any git clone
# works the same). The crates come from crates.io.
#
# What is built, and what is not: the CLI runs Python robots through a
# RustPython interpreter compiled to wasm32-wasi (logic/build-wasm.sh), which
# needs the wasm32-wasi Rust target and its toolchain; that target cannot be
# installed from a package registry, so the wasm lang runners are not built.
# The CLI is built with `COMPILED_RUNNERS` pointing at empty runner files and
# without the cranelift compiler (`--no-default-features`): its `file.py`
# robots are unavailable, its `command:` robots work. Robots then run as
#   command:python3 $RR_LOGIC_SRC/lang-runners/python/stdlib/rumblelib.py robot.py
# which is upstream's own Python API (rumblelib.py, in its CPython `__main__`
# mode) speaking upstream's runner protocol, with upstream's rules (the
# `logic` crate) unchanged. See docs/robotrumble.md.
#
# Usage: RR_LOGIC_SRC=... RR_CLI_SRC=... tools/build-rumblebot.sh [OUT_DIR]
# Prints the path of the built binary (OUT_DIR/rumblebot, default
# /work/rumblebot). Needs cargo, a C compiler, perl and make (openssl is
# vendored by one of the CLI's crates).
set -euo pipefail

: "${RR_LOGIC_SRC:?set RR_LOGIC_SRC to a checkout of robot-rumble/logic}"
: "${RR_CLI_SRC:?set RR_CLI_SRC to a checkout of robot-rumble/cli}"
out="${1:-/work/rumblebot}"
work="${RR_BUILD_DIR:-$out/src}"

mkdir -p "$work"
# The CLI names its sibling as ../logic/logic and ../logic/env-runners/native.
rm -rf "$work/logic" "$work/cli"
copy() { # copy SRC DST: a git directory (bare or not) or a plain folder
    if git -C "$1" rev-parse --git-dir >/dev/null 2>&1 && [ ! -f "$1/Cargo.toml" ]; then
        mkdir -p "$2" && git -C "$1" archive HEAD | tar -x -C "$2"
    else
        cp -r "$1" "$2"
    fi
}
copy "$RR_LOGIC_SRC" "$work/logic"
copy "$RR_CLI_SRC" "$work/cli"

# The CLI patches `multipart` with a git fork; only registries are reachable
# here, so use the crates.io release of the same version.
sed -i '/^\[patch.crates-io\]/,$d' "$work/cli/Cargo.toml"

# `rumblebot run web` serves the battle viewer's build from cli/dist,
# embedded at compile time; that build (robot-rumble/battle-viewer, npm) is
# not needed for `run term`, so the folder is left with a placeholder page.
mkdir -p "$work/cli/dist"
echo '<p>battle viewer not built (see tools/build-rumblebot.sh)</p>' > "$work/cli/dist/index.html"

runners="$work/no-runners"
mkdir -p "$runners"
: > "$runners/pyrunner.wasmu"
: > "$runners/jsrunner.wasmu"

cd "$work/cli"
# time 0.3.34 (in the CLI's lock file) no longer compiles with current rustc
# (E0282 in format_description); 0.3.36 is the first release that does.
if grep -q 'version = "0.3.34"' Cargo.lock; then
    cargo update -p time@0.3.34 --precise 0.3.36 >&2
fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$out/target}"
# wasmer 2's VM names `__rust_probestack`, which current Rust's
# compiler-builtins no longer exports (link error: undefined symbol
# __rust_probestack). Provide the x86-64 stack probe (touch each 4 KiB page
# of a new frame of %rax bytes) as an object linked into the binary only.
cat > "$work/probestack.S" <<'ASM'
    .text
    .globl __rust_probestack
    .type __rust_probestack,@function
__rust_probestack:
    push %rbp
    mov %rsp, %rbp
    mov %rax, %r11
    cmp $0x1000, %r11
    jna 2f
1:
    sub $0x1000, %rsp
    test %rsp, 8(%rsp)
    sub $0x1000, %r11
    cmp $0x1000, %r11
    ja 1b
2:
    sub %r11, %rsp
    test %rsp, 8(%rsp)
    add %rax, %rsp
    leave
    ret
    .size __rust_probestack, .-__rust_probestack
    .section .note.GNU-stack,"",@progbits
ASM
cc -c "$work/probestack.S" -o "$work/probestack.o"
COMPILED_RUNNERS="$runners" cargo rustc --release --no-default-features --bin rumblebot \
    -- -C link-arg="$work/probestack.o" >&2
cp "$CARGO_TARGET_DIR/release/rumblebot" "$out/rumblebot"
cp "$work/logic/lang-runners/python/stdlib/rumblelib.py" "$out/rumblelib.py"
echo "$out/rumblebot"
