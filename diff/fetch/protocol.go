package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/pktline"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/capability"
)

// Smart HTTP and upload-pack wire details, from git's
// Documentation/gitprotocol-http.txt and gitprotocol-v2.txt.
const (
	advertisementType = "application/x-git-upload-pack-advertisement"
	requestType       = "application/x-git-upload-pack-request"
	resultType        = "application/x-git-upload-pack-result"
	maxAdvertisement  = 16 << 20 // a v0 advertisement lists every ref
)

// advert is what the server said it can do.
type advert struct {
	version int
	caps    map[string]string // v2 capabilities (name → value)
	v0      *packp.AdvRefs
}

// advertisement makes the GET of info/refs, asking for protocol v2.
func (f *Fetcher) advertisement(ctx context.Context, b *budget, st *Stats) (*advert, error) {
	res, err := f.do(ctx, http.MethodGet, "/info/refs?service=git-upload-pack", nil, 2, st)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); ct != advertisementType {
		return nil, &RefusedError{Reason: fmt.Sprintf("server does not speak smart HTTP (content type %q)", ct)}
	}
	raw, err := io.ReadAll(io.LimitReader(b.reader(res.Body), maxAdvertisement))
	if err != nil {
		return nil, fmt.Errorf("read advertisement: %w", err)
	}
	return parseAdvertisement(raw)
}

func parseAdvertisement(raw []byte) (*advert, error) {
	s := pktline.NewScanner(bytes.NewReader(raw))
	// v0 starts with "# service=git-upload-pack" and a flush; git's
	// http-backend omits them for v2 (other servers may not).
	if s.Scan() && bytes.HasPrefix(s.Bytes(), []byte("# service=")) {
		if s.Scan() { // the flush
			s.Scan() // the first line after it
		}
	}
	if string(bytes.TrimSpace(s.Bytes())) == "version 2" {
		a := &advert{version: 2, caps: map[string]string{}}
		for s.Scan() && len(s.Bytes()) > 0 {
			name, value, _ := strings.Cut(strings.TrimSpace(string(s.Bytes())), "=")
			a.caps[name] = value
		}
		if err := s.Err(); err != nil {
			return nil, fmt.Errorf("parse v2 advertisement: %w", err)
		}
		if _, ok := a.caps["fetch"]; !ok {
			return nil, &RefusedError{Reason: "protocol v2 server without the fetch command"}
		}
		return a, nil
	}
	if err := s.Err(); err != nil {
		return nil, fmt.Errorf("parse advertisement: %w", err)
	}
	ar := packp.NewAdvRefs()
	if err := ar.Decode(bytes.NewReader(raw)); err != nil && !errors.Is(err, packp.ErrEmptyAdvRefs) {
		return nil, fmt.Errorf("parse v0 advertisement: %w", err)
	}
	if !ar.Capabilities.Supports(capability.AllowReachableSHA1InWant) {
		return nil, &RefusedError{Reason: "server speaks protocol v0 without allow-reachable-sha1-in-want"}
	}
	if !ar.Capabilities.Supports(capability.Sideband64k) {
		return nil, &RefusedError{Reason: "server lacks side-band-64k"}
	}
	return &advert{version: 0, v0: ar}, nil
}

// request builds the upload-pack request body: the ids as wants, no
// haves, done.
func (a *advert) request(ids []string, agent string) ([]byte, error) {
	var buf bytes.Buffer
	e := pktline.NewEncoder(&buf)
	if a.version == 2 {
		lines := []string{"command=fetch\n", "agent=" + agent + "\n"}
		if of, ok := a.caps["object-format"]; ok {
			lines = append(lines, "object-format="+firstNonEmpty(of, "sha1")+"\n")
		}
		if err := e.EncodeString(lines...); err != nil {
			return nil, err
		}
		buf.WriteString("0001") // delim-pkt: arguments follow
		args := []string{"no-progress\n", "ofs-delta\n"}
		for _, id := range ids {
			args = append(args, "want "+id+"\n")
		}
		args = append(args, "done\n")
		if err := e.EncodeString(args...); err != nil {
			return nil, err
		}
		if err := e.Flush(); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
	req := packp.NewUploadRequest()
	for _, id := range ids {
		req.Wants = append(req.Wants, plumbing.NewHash(id))
	}
	for _, c := range []capability.Capability{capability.Sideband64k, capability.OFSDelta, capability.NoProgress} {
		if a.v0.Capabilities.Supports(c) {
			if err := req.Capabilities.Set(c); err != nil {
				return nil, err
			}
		}
	}
	if err := req.Capabilities.Set(capability.Agent, agent); err != nil {
		return nil, err
	}
	if err := req.Encode(&buf); err != nil {
		return nil, fmt.Errorf("encode upload request: %w", err)
	}
	if err := e.EncodeString("done\n"); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// readPreamble consumes the response up to the side-band pack stream:
// "packfile" in v2 (we send done, so no acknowledgments section), "NAK"
// in v0. An ERR line saying "not our ref" becomes ErrNotFound under v2
// (which accepts any id it has) and *RefusedError under v0 (where it may
// mean "not reachable").
//
// stale reports that the server rejected the request itself, which a
// stale advertisement could explain: any other ERR line, a malformed
// pkt-line, an empty reply or another first line. An I/O error reading
// the reply (a broken connection, the byte cap) is not stale.
func readPreamble(r io.Reader, version int) (stale bool, _ error) {
	s := pktline.NewScanner(r)
	want := "NAK"
	if version == 2 {
		want = "packfile"
	}
	if !s.Scan() {
		var el *pktline.ErrorLine
		switch err := s.Err(); {
		case errors.As(err, &el) && strings.Contains(el.Text, "not our ref"):
			if version == 2 {
				return false, fmt.Errorf("server: %s: %w", el.Text, ErrNotFound)
			}
			return false, &RefusedError{Reason: el.Text}
		case errors.As(err, &el):
			return true, fmt.Errorf("read response: server: %w", err)
		case errors.Is(err, pktline.ErrInvalidPktLen):
			return true, fmt.Errorf("read response: %w", err)
		case err != nil:
			return false, fmt.Errorf("read response: %w", err)
		default:
			return true, fmt.Errorf("read response: empty response")
		}
	}
	if got := strings.TrimSpace(string(s.Bytes())); got != want {
		return true, fmt.Errorf("read response: got %q, want %q", got, want)
	}
	return false, nil
}

// do makes one request to the repository's smart HTTP endpoint, asking
// for protocol v2 when version is 2. The pack request must use the version
// the server answered with: a v0 body read as v2 would be garbage.
func (f *Fetcher) do(ctx context.Context, method, path string, body []byte, version int, st *Stats) (*http.Response, error) {
	u := f.url.String() + path
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	if version == 2 {
		req.Header.Set("Git-Protocol", "version=2")
	}
	req.Header.Set("User-Agent", "git/"+f.agent)
	if body != nil {
		req.Header.Set("Content-Type", requestType)
		req.Header.Set("Accept", resultType)
	}
	if f.token != "" {
		req.SetBasicAuth("x-access-token", f.token)
	}
	st.Requests++
	res, err := f.client.Do(req)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, ctxErr
		}
		return nil, fmt.Errorf("%s %s: %w", method, f.url, err)
	}
	if res.StatusCode != http.StatusOK {
		res.Body.Close()
		return nil, &HTTPError{StatusCode: res.StatusCode, URL: f.url.String()}
	}
	return res, nil
}
