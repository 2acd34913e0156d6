#!/bin/sh
# Anchor comparison: run gosec (pinned) on the Go part of the SAST corpus,
# every file in its own package (each is one added file, so "changed lines"
# are all lines), and score it against the same want: labels Picket's
# corpus test uses. gosec rules are mapped to Picket's classes in score.py;
# rules outside those classes (G104, G114, G110, …) are not counted.
set -eu
GOSEC_VERSION=v2.30.0
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
GOBIN="$work/bin" go install "github.com/securego/gosec/v2/cmd/gosec@$GOSEC_VERSION"
mkdir "$work/src"
printf 'module corpus\n\ngo 1.26\n' > "$work/src/go.mod"
for f in "$here"/../go/*.go; do
	d="$work/src/$(basename "$f" .go)"
	mkdir "$d"
	cp "$f" "$d/"
done
(cd "$work/src" && "$work/bin/gosec" -quiet -no-fail -fmt json -out "$work/gosec.json" ./... || true)
python3 "$here/score.py" "$here/../go" "$work/gosec.json"
