package githubtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// SpecDirEnv names the environment variable that overrides where the
// contract files (openapi-subset.json, webhooks-openapi-subset.json,
// webhooks/) are read from.
const SpecDirEnv = "PICKET_GITHUB_SPEC_DIR"

// spec is the loaded REST contract and its router.
type spec struct {
	dir      string
	doc      *openapi3.T
	router   routers.Router
	examples map[string]any
}

// SpecDir finds the contract directory: $PICKET_GITHUB_SPEC_DIR if set,
// else ../shared/github next to the directory that holds go.mod, found by
// walking up from the working directory.
func SpecDir() (string, error) {
	if d := os.Getenv(SpecDirEnv); d != "" {
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find spec dir: %w", err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, "..", "shared", "github"), nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("find spec dir: no go.mod above %s; set %s", wd, SpecDirEnv)
		}
	}
}

// specs caches the loaded contract per directory. A loaded spec is never
// modified after loadSpec returns, so every Server in the process shares
// it; loading takes about 80 ms, which each test would otherwise pay.
var specs sync.Map // absolute dir → *specOnce

type specOnce struct {
	once sync.Once
	sp   *spec
	err  error
}

func loadSpec(dir string) (*spec, error) {
	if dir == "" {
		d, err := SpecDir()
		if err != nil {
			return nil, err
		}
		dir = d
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("load REST contract: %w", err)
	}
	v, _ := specs.LoadOrStore(abs, &specOnce{})
	so := v.(*specOnce)
	so.once.Do(func() { so.sp, so.err = readSpec(abs) })
	if so.err != nil {
		// Do not cache failures: a test may create the files later.
		specs.CompareAndDelete(abs, so)
	}
	return so.sp, so.err
}

func readSpec(dir string) (*spec, error) {
	subset, err := os.ReadFile(filepath.Join(dir, "openapi-subset.json"))
	if err != nil {
		return nil, fmt.Errorf("load REST contract: %w", err)
	}
	merged, err := mergeSupplement(subset, supplementJSON)
	if err != nil {
		return nil, fmt.Errorf("load REST contract: %w", err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(merged)
	if err != nil {
		return nil, fmt.Errorf("load REST contract: %w", err)
	}
	// Upstream's checks/create body carries a discriminator without a
	// mapping next to its oneOf; kin-openapi then rejects bodies without
	// `status`, which GitHub accepts (status defaults to queued). See
	// shared/github/README.md, "Known quirk: checks/create".
	if p := doc.Paths.Find("/repos/{owner}/{repo}/check-runs"); p != nil && p.Post != nil {
		p.Post.RequestBody.Value.Content.Get("application/json").Schema.Value.Discriminator = nil
	}
	// gorillamux matches scheme and host against servers; the fake serves
	// on a random port, so match any host.
	doc.Servers = nil
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("build router: %w", err)
	}
	ex := map[string]any{}
	for name, ref := range doc.Components.Examples {
		if ref != nil && ref.Value != nil {
			ex[name] = ref.Value.Value
		}
	}
	return &spec{dir: dir, doc: doc, router: router, examples: ex}, nil
}

// validationInput is a routed request ready for the contract checks.
type validationInput struct {
	op     string
	params map[string]string
	in     *openapi3filter.RequestValidationInput
	body   []byte
}

// multiSegment are the routes whose last parameter may hold slashes
// (upstream marks them x-multi-segment); gorillamux needs those escaped.
var multiSegment = []*regexp.Regexp{
	regexp.MustCompile(`^(/repos/[^/]+/[^/]+/contents/)(.+)$`),
	regexp.MustCompile(`^(/repos/[^/]+/[^/]+/compare/)(.+)$`),
	regexp.MustCompile(`^(/repos/[^/]+/[^/]+/git/trees/)(.+)$`),
	regexp.MustCompile(`^(/repos/[^/]+/[^/]+/commits/)(.+)(/check-runs)$`),
}

// route finds the operation for r. The returned input carries a copy of r
// whose body is body.
func (sp *spec) route(r *http.Request, body []byte) (*validationInput, error) {
	rr := r.Clone(r.Context())
	rr.Body = io.NopCloser(bytes.NewReader(body))
	rr.URL.Host, rr.Host = "", ""
	for _, re := range multiSegment {
		m := re.FindStringSubmatch(r.URL.Path)
		if m == nil {
			continue
		}
		esc := m[1] + url.PathEscape(m[2])
		if len(m) > 3 {
			esc += m[3]
		}
		rr.URL.RawPath = esc
		break
	}
	route, params, err := sp.router.FindRoute(rr)
	if err != nil {
		return nil, err
	}
	for k, v := range params {
		if u, err := url.PathUnescape(v); err == nil {
			params[k] = u
		}
	}
	return &validationInput{
		op:     route.Operation.OperationID,
		params: params,
		body:   body,
		in: &openapi3filter.RequestValidationInput{
			Request:    rr,
			PathParams: params,
			Route:      route,
			Options: &openapi3filter.Options{
				AuthenticationFunc:  openapi3filter.NoopAuthenticationFunc,
				SkipSettingDefaults: true,
				MultiError:          true,
			},
		},
	}, nil
}

func (sp *spec) validateRequest(ctx context.Context, v *validationInput) error {
	body := v.body
	if string(bytes.TrimSpace(body)) == "null" {
		// go-github and ghinstallation send `null` for an absent options
		// struct (e.g. access_tokens without options); GitHub treats it
		// as no body, and so does the fake.
		body = nil
		v.in.Request.ContentLength = 0
	}
	if v.op == "pulls/create-review-comment" {
		body = replyBody(body)
	}
	v.in.Request.Body = io.NopCloser(bytes.NewReader(body))
	return openapi3filter.ValidateRequest(ctx, v.in)
}

// validateResponse checks a response the fake is about to send. Success
// statuses must be declared by the operation; error statuses are checked
// against the operation when it declares them and against the error
// schemas by hand otherwise.
func (sp *spec) validateResponse(ctx context.Context, v *validationInput, status int, h http.Header, body []byte) error {
	if status >= 300 {
		if err := checkErrorBody(status, body); err != nil {
			return err
		}
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: v.in,
		Status:                 status,
		Header:                 h,
		Options: &openapi3filter.Options{
			IncludeResponseStatus: status < 300,
			MultiError:            true,
		},
	}
	out.SetBodyBytes(body)
	return openapi3filter.ValidateResponse(ctx, out)
}

// checkErrorBody is the hand check of error bodies: every GitHub error is
// a JSON object with a string message.
func checkErrorBody(status int, body []byte) error {
	if status == http.StatusNotModified || (status >= 300 && status < 400) {
		return nil
	}
	var e struct {
		Message *string `json:"message"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		return fmt.Errorf("error body of %d is not a JSON object: %w", status, err)
	}
	if e.Message == nil {
		return errors.New("error body has no message")
	}
	return nil
}

// example returns a deep copy of a named example of the contract, so the
// fake's responses start from GitHub's own documented shapes.
func (sp *spec) example(name string) map[string]any {
	v, ok := sp.examples[name]
	if !ok {
		panic("githubtest: bug in the fake: no example " + name)
	}
	if arr, ok := v.([]any); ok {
		v = arr[0]
	}
	m, ok := deepCopy(v).(map[string]any)
	if !ok {
		panic("githubtest: bug in the fake: example " + name + " is not an object")
	}
	return m
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		a := make([]any, len(x))
		for i, e := range x {
			a[i] = deepCopy(e)
		}
		return a
	}
	return v
}

// replyBody works around a contract that is stricter than GitHub:
// pulls/create-review-comment requires commit_id and path, but with
// in_reply_to "all parameters other than body are ignored" (same
// description), and go-github's CreateCommentInReplyTo sends only body
// and in_reply_to. For such a body the two are filled in before the
// check, so everything else is still validated.
func replyBody(body []byte) []byte {
	var m map[string]any
	if json.Unmarshal(body, &m) != nil || m["in_reply_to"] == nil {
		return body
	}
	for _, k := range []string{"commit_id", "path"} {
		if _, ok := m[k]; !ok {
			m[k] = "ignored-with-in_reply_to"
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return body
	}
	return b
}
