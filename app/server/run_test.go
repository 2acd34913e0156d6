package server

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"
)

func TestRunStopsWhenContextEnds(t *testing.T) {
	cfg := baseConfig(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs bytes.Buffer
	// SIGTERM, in effect, as soon as the server says it is serving.
	w := writerFunc(func(p []byte) (int, error) {
		if bytes.Contains(p, []byte("picket serving")) {
			cancel()
		}
		return logs.Write(p)
	})
	if err := Run(ctx, cfg, NewLogger(w, "json")); err != nil {
		t.Fatalf("Run: %v", err)
	}
	for _, want := range []string{"not configured", `"msg":"stopped"`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
}

func TestRunErrors(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	cfg := baseConfig(t)
	cfg.Listen = busy.Addr().String()
	if err := Run(context.Background(), cfg, nil); err == nil || !strings.Contains(err.Error(), "listen") {
		t.Errorf("Run on a busy port: %v, want a listen error", err)
	}
	cfg = baseConfig(t)
	cfg.LogFormat = "xml"
	if err := Run(context.Background(), cfg, nil); err == nil || !strings.Contains(err.Error(), EnvLogFormat) {
		t.Errorf("Run with a bad config: %v, want it to name %s", err, EnvLogFormat)
	}
}

func TestHomeConfigured(t *testing.T) {
	r := start(t, configured(t), WithPipeline(&fakePipeline{}))
	_, home := get(t, r.url+"/")
	if strings.Contains(home, "Not configured") || !strings.Contains(home, "GitHub App 42") {
		t.Errorf("configured home page:\n%s", home)
	}
	if strings.Contains(home, testSecret) {
		t.Error("the home page shows the webhook secret")
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
