#!/bin/sh
# Regenerates the *.diff fixtures of the unified-diff parser from real git
# and GNU diff output. Run from this directory: sh gen.sh
# (The *.golden.json files are then rewritten by: go test -run Golden -update)
set -eu
out=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
export GIT_AUTHOR_DATE='2024-01-01T00:00:00Z' GIT_COMMITTER_DATE='2024-01-01T00:00:00Z'
git init -q -b main r && cd r
git config core.autocrlf false

seq 1 30 >numbers.txt
printf 'package main\n\nfunc main() {\n\tprintln("hi")\n}\n' >main.go
printf 'old\n' >gone.txt
seq 1 40 | sed 's/^/line /' >moved.txt
seq 1 40 | sed 's/^/text /' >edited-move.txt
printf 'echo hi\n' >run.sh
printf 'no newline' >tail.txt
printf 'a\nb\n' >"with space.txt"
printf 'x\n' >"$(printf 'caf\303\251.txt')"
git add -A && git commit -q -m base

# basic: modify, add, delete.
sed -i 's/^5$/five/; s/^20$/twenty\nextra/' numbers.txt
printf 'package main\n\nimport "os"\n\nfunc main() {\n\tprintln(os.Getenv("X"))\n}\n' >main.go
printf 'fresh\nfile\n' >new.txt
git rm -q gone.txt
git add -A && git diff --cached >"$out/basic.diff"
git commit -q -m basic

# rename: pure rename, rename with edit, copy.
git mv moved.txt renamed.txt
git mv edited-move.txt edited-renamed.txt
sed -i 's/^text 20$/text twenty/' edited-renamed.txt
cp main.go copy.go
git add -A && git diff --cached -M -C --find-copies-harder >"$out/rename.diff"
git commit -q -m rename

# mode: mode change, symlink, binary (both forms).
chmod +x run.sh
ln -s numbers.txt link
printf 'PNG\000\001\002' >image.png
git add -A && git diff --cached >"$out/binary.diff"
git diff --cached --binary >"$out/binarypatch.diff"
git commit -q -m mode

# quoted paths and no newline at end of file.
printf 'a\nB\nc\n' >"with space.txt"
printf 'y\n' >"$(printf 'caf\303\251.txt')"
printf 'no newline, changed' >tail.txt
printf 'tab\n' >"$(printf 'tab\there.txt')"
git add -A && git diff --cached >"$out/quoted.diff"
git commit -q -m quoted

# --no-prefix.
sed -i 's/^1$/one/' numbers.txt
mkdir -p a && printf 'in a\n' >a/b.txt
git add -A && git diff --cached --no-prefix >"$out/noprefix.diff"
git commit -q -m noprefix

# format-patch mbox of two commits.
printf 'first\n' >mail.txt && git add -A && git commit -q -m 'mail one'
printf 'second\n' >>mail.txt && git add -A && git commit -q -m 'mail two'
git format-patch -q --stdout HEAD~2 >"$out/formatpatch.diff"

# plain diff -ruN of two directories, with timestamps.
cd "$work"
mkdir old new
printf 'one\ntwo\nthree\n' >old/keep.txt
printf 'one\n2\nthree\n' >new/keep.txt
printf 'gone\n' >old/removed.txt
printf 'added\n' >new/added.txt
printf 'bin\000' >old/b.bin
printf 'bin\000x' >new/b.bin
TZ=UTC touch -d '2024-01-01 00:00:00' old/* new/*
(TZ=UTC diff -ruN old new || true) >"$out/plain.diff"
