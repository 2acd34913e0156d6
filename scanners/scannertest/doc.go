// Package scannertest is the conformance kit every scanner's tests call,
// in the way osv-scalibr's velestest.AcceptDetector is: Run checks a
// scanner's rules and its per-rule txtar fixtures through a real Engine,
// and that fingerprints survive line shifts, output is deterministic,
// planted secrets never appear in any output, cancellation is honoured and
// Wants agrees with the fixtures.
//
// It imports diff and scanners only, and is imported only by tests.
package scannertest
