// Package scanners is Picket's scanning engine: the Scanner contract, rule
// metadata, findings with stable fingerprints and redacted evidence, the
// suppression mechanisms, and the Engine that runs every scanner over a
// diff.ChangeSet and keeps only what the change introduces.
//
// Scanners live in sub-packages (secrets, build, sast) and are listed in
// package scanners/registry. This package imports diff and the standard
// library plus conc; it must not import app, GitHub clients or River.
package scanners
