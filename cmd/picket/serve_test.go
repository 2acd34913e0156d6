package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeWithoutCredentials starts the real server with no app
// credentials: it must come up, serve health and say what is missing.
func TestServeWithoutCredentials(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	env := map[string]string{
		"PICKET_LISTEN":       addr,
		"PICKET_DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "picket.db"),
		"PICKET_LOG_FORMAT":   "json",
	}
	var stderr bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, streams{stdout: &bytes.Buffer{}, stderr: &stderr, getenv: func(k string) string { return env[k] }})
	}()
	var resp *http.Response
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err = http.Get("http://" + addr + "/healthz"); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("server never answered: %v\n%s", err, stderr.String())
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz = %d", resp.StatusCode)
	}
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("serve exited %d: %s", code, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop after cancellation")
	}
	if !strings.Contains(stderr.String(), "PICKET_APP_ID") {
		t.Errorf("log does not say PICKET_APP_ID is missing:\n%s", stderr.String())
	}
}

func TestServeBadConfigNamesTheKey(t *testing.T) {
	var stderr bytes.Buffer
	code := run(context.Background(), []string{"serve"}, streams{stdout: &bytes.Buffer{}, stderr: &stderr,
		getenv: func(k string) string {
			if k == "PICKET_APP_ID" {
				return "abc"
			}
			return ""
		}})
	if code != exitError || !strings.Contains(stderr.String(), "PICKET_APP_ID") {
		t.Errorf("exit %d, stderr %q; want 2 naming PICKET_APP_ID", code, stderr.String())
	}
}
