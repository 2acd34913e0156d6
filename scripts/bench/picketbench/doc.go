// Command picketbench is the bench-only helper behind
// scripts/bench/compare-secrets.sh, which compares Picket's secret scanner
// with gitleaks and trufflehog on the same bytes (docs/BENCHMARKS.md).
//
// Subcommands:
//
//	corpus -src DIR -dst DIR -truth FILE [-n N] [-seed S]
//	    copy the files of DIR that Picket would scan (so every tool reads
//	    exactly the same bytes) and plant N secrets of types all three
//	    tools know in realistic files; write the ground truth as JSON.
//	scan -dir DIR -out FILE
//	    treat every file under DIR as added, run the engine with the
//	    secret scanner only, and write one JSON line per finding.
//	score -truth FILE -tool picket|gitleaks|trufflehog -in FILE -dir DIR
//	    match a tool's findings against the planted secrets (same file,
//	    overlapping line) and print the score as JSON.
//	report -runs FILE -scores DIR -truth FILE
//	    turn the timing rows and scores into the Markdown tables.
//
// It lives under scripts/ because it is a measuring tool, not part of
// Picket: nothing may import it, and it imports only diff, scanners and
// scanners/secrets (no app, no GitHub clients).
package main
