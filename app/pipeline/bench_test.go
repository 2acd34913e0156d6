package pipeline_test

import (
	"fmt"
	"testing"
)

// BenchmarkFirstScan is a 20-file pull request scanned from scratch: each
// iteration pushes new contents for every file, so nothing is cached.
func BenchmarkFirstScan(b *testing.B) {
	base := map[string]string{}
	for i := range 20 {
		base[fmt.Sprintf("pkg/f%02d.py", i)] = fmt.Sprintf("X = %d\n", i)
	}
	e := setup(b, base)
	var bytes int64
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		files := map[string]string{}
		for f := range base {
			files[f] = fmt.Sprintf("# %s\nX = %d\n", f, i)
		}
		head := e.push(files)
		e.srv.Reset()
		b.StartTimer()
		if err := e.scan(head, "synchronize"); err != nil {
			b.Fatal(err)
		}
		bytes += e.srv.BytesSent()
	}
	b.ReportMetric(float64(bytes)/float64(b.N), "fetched-B/op")
}

// BenchmarkIncrementalPush is a push changing 1 file of a 500-file pull
// request already scanned: it reports the bytes fetched per push and,
// as first-fetched-B, the first scan's, for the ratio the issue asks for.
func BenchmarkIncrementalPush(b *testing.B) {
	base := map[string]string{}
	for i := range 500 {
		base[fmt.Sprintf("pkg/f%03d.py", i)] = fmt.Sprintf("X = %d\n", i)
	}
	e := setup(b, base)
	files := map[string]string{}
	for f := range base {
		files[f] = base[f] + "Y = 0\n"
	}
	head := e.push(files)
	if err := e.scan(head, "opened"); err != nil {
		b.Fatal(err)
	}
	first := e.srv.BytesSent()
	var bytes int64
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		head := e.push(map[string]string{"pkg/f000.py": fmt.Sprintf("X = 0\nY = %d\n", i+1)})
		e.srv.Reset()
		b.StartTimer()
		if err := e.scan(head, "synchronize"); err != nil {
			b.Fatal(err)
		}
		bytes += e.srv.BytesSent()
	}
	b.ReportMetric(float64(bytes)/float64(b.N), "fetched-B/op")
	b.ReportMetric(float64(first), "first-fetched-B")
}
