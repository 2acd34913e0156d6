package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// EnvLogDir names a directory where every process's whole log is kept
// (for a reader of a failure; by default only the last 8 KB of each are
// shown, and only when the test fails).
const EnvLogDir = "PICKET_E2E_LOGS"

// replica is one `picket serve` process.
type replica struct {
	t    testing.TB
	name string
	env  []string
	cmd  *exec.Cmd
	url  string // http://127.0.0.1:PORT, from the "picket serving" log line

	mu     sync.Mutex
	logs   strings.Builder
	done   int            // "scan job done" lines
	heads  map[string]int // head SHA → its "scan job done" lines
	again  map[string]int // head SHA → its jobs ended (done or failed) on a second or later attempt
	served chan string
	exited chan struct{}
}

// replicaEnv is what every process gets: the app's credentials, where
// GitHub and the database are, and a loopback listener on a free port.
// The test process's own PICKET_* variables are not passed on.
type replicaEnv struct {
	appID      int64
	keyFile    string
	secret     string
	githubURL  string // REST root with a trailing slash
	database   string
	extra      map[string]string // further PICKET_* settings
	home       string
	concurrent int
}

func (e replicaEnv) list() []string {
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + e.home,
		"PICKET_APP_ID=" + strconv.FormatInt(e.appID, 10),
		"PICKET_PRIVATE_KEY_FILE=" + e.keyFile,
		"PICKET_WEBHOOK_SECRET=" + e.secret,
		"PICKET_GITHUB_URL=" + e.githubURL,
		"PICKET_DATABASE_URL=" + e.database,
		"PICKET_LISTEN=127.0.0.1:0",
		"PICKET_LOG_FORMAT=json",
		"GIT_CONFIG_NOSYSTEM=1",
	}
	if e.concurrent > 0 {
		env = append(env, "PICKET_CONCURRENCY="+strconv.Itoa(e.concurrent))
	}
	for k, v := range e.extra {
		env = append(env, k+"="+v)
	}
	return env
}

// startReplica starts a process and waits until it serves and /readyz
// answers 200. The process is killed when the test ends if it still runs.
func startReplica(t testing.TB, name string, env []string) *replica {
	t.Helper()
	r := &replica{t: t, name: name, env: env, heads: map[string]int{}, again: map[string]int{}, served: make(chan string, 1), exited: make(chan struct{})}
	r.cmd = exec.Command(binary, "serve")
	r.cmd.Env = env
	r.cmd.Dir = t.TempDir()
	stderr, err := r.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	r.cmd.Stdout = io.Discard
	if err := r.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go r.read(stderr)
	t.Cleanup(func() {
		select {
		case <-r.exited:
		default:
			_ = r.cmd.Process.Kill()
			<-r.exited
		}
		if dir := os.Getenv(EnvLogDir); dir != "" {
			f := filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "_")+"-"+name+".log")
			if err := os.WriteFile(f, []byte(r.Logs()), 0o644); err != nil {
				t.Errorf("keep the log of %s: %v", name, err)
			}
		}
		if t.Failed() {
			t.Logf("log of %s (last 8 KB):\n%s", name, tail(r.Logs(), 8<<10))
		}
	})
	select {
	case addr := <-r.served:
		r.url = "http://" + addr
	case <-r.exited:
		t.Fatalf("%s exited before serving: %v\n%s", name, r.cmd.ProcessState, r.Logs())
	case <-time.After(60 * time.Second):
		t.Fatalf("%s did not log \"picket serving\" within a minute:\n%s", name, r.Logs())
	}
	waitFor(t, 30*time.Second, name+" /readyz", func() bool {
		res, err := http.Get(r.url + "/readyz")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	})
	return r
}

// read keeps the process's JSON log, learns its address from the
// "picket serving" line and counts finished scan jobs.
func (r *replica) read(rd io.Reader) {
	defer func() {
		_ = r.cmd.Wait()
		close(r.exited)
	}()
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var rec struct {
			Msg     string `json:"msg"`
			Addr    string `json:"addr"`
			Head    string `json:"head_sha"`
			Attempt int    `json:"attempt"`
		}
		_ = json.Unmarshal(line, &rec) // a non-JSON line is kept as it is
		r.mu.Lock()
		r.logs.Write(line)
		r.logs.WriteByte('\n')
		if rec.Msg == "scan job done" {
			r.done++
			r.heads[rec.Head]++
		}
		if (rec.Msg == "scan job done" || rec.Msg == "scan job failed") && rec.Attempt > 1 {
			r.again[rec.Head]++
		}
		r.mu.Unlock()
		if rec.Msg == "picket serving" && rec.Addr != "" {
			select {
			case r.served <- rec.Addr:
			default:
			}
		}
	}
	_, _ = io.Copy(io.Discard, rd)
}

// Logs is the process's log so far.
func (r *replica) Logs() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.logs.String()
}

// Done counts the scan jobs the process logged as done.
func (r *replica) Done() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.done
}

// DoneHead reports whether the process logged a scan job of head done.
func (r *replica) DoneHead(head string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.heads[head] > 0
}

// Retried reports whether the process ended a job of head that an
// earlier attempt had started (a retried or rescued job).
func (r *replica) Retried(head string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.again[head] > 0
}

// Kill sends SIGKILL and waits for the process to be gone.
func (r *replica) Kill() {
	r.t.Helper()
	if err := r.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		r.t.Fatalf("kill %s: %v", r.name, err)
	}
	<-r.exited
}

// Stop sends SIGTERM and waits up to timeout for a clean exit.
func (r *replica) Stop(timeout time.Duration) error {
	if err := r.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return fmt.Errorf("stop %s: %w", r.name, err)
	}
	select {
	case <-r.exited:
		if !r.cmd.ProcessState.Success() {
			return fmt.Errorf("stop %s: %v", r.name, r.cmd.ProcessState)
		}
		return nil
	case <-time.After(timeout):
		_ = r.cmd.Process.Kill()
		<-r.exited
		return fmt.Errorf("stop %s: still running %s after SIGTERM", r.name, timeout)
	}
}

// PeakRSS is the process's peak resident set (VmHWM) in bytes.
func (r *replica) PeakRSS() (int64, error) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(r.cmd.Process.Pid), "status"))
	if err != nil {
		return 0, fmt.Errorf("peak rss of %s: %w", r.name, err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(v) // "123456 kB"
			if len(f) == 2 && f[1] == "kB" {
				n, err := strconv.ParseInt(f[0], 10, 64)
				if err != nil {
					return 0, fmt.Errorf("peak rss of %s: %w", r.name, err)
				}
				return n << 10, nil
			}
		}
	}
	return 0, fmt.Errorf("peak rss of %s: no VmHWM in /proc status", r.name)
}

// waitFor polls cond every 50 ms until it holds, failing the test after
// limit. The limit is a deadline against a hang, not a measurement.
func waitFor(t testing.TB, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	waitExplain(t, limit, what, cond, nil)
}

// waitExplain is waitFor whose failure adds explain's account of what is
// still missing.
func waitExplain(t testing.TB, limit time.Duration, what string, cond func() bool, explain func() string) {
	t.Helper()
	if msg, ok := poll(limit, what, cond, explain); !ok {
		t.Fatal(msg)
	}
}

// poll is waitExplain returning the failure instead of ending the test.
func poll(limit time.Duration, what string, cond func() bool, explain func() string) (string, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			msg := ""
			if explain != nil {
				msg = "\n" + explain()
			}
			return fmt.Sprintf("gave up after %s waiting for %s%s", limit, what, msg), false
		case <-tick.C:
		}
	}
	return "", true
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
