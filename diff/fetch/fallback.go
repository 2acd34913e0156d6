package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/sourcegraph/conc/pool"
)

// DefaultConcurrency bounds the fallback's parallel blob requests.
const DefaultConcurrency = 8

// BlobGetter reads one blob by id another way than git, such as GitHub's
// REST blobs API. GetBlob returns an error wrapping ErrNotFound when the
// blob does not exist; it must be safe for concurrent use.
type BlobGetter interface {
	GetBlob(ctx context.Context, id string) ([]byte, error)
}

// WithConcurrency bounds the parallel requests of the fallback in Load
// (default DefaultConcurrency).
func WithConcurrency(n int) Option { return func(f *Fetcher) { f.concurrency = n } }

// Load fetches the wanted blobs with one git fetch and, only when the
// server refuses (*RefusedError) and fallback is not nil, reads them with
// fallback instead, at most WithConcurrency at a time and under the same
// byte cap. Stats.Fallback says which way was taken.
func (f *Fetcher) Load(ctx context.Context, wants []string, fallback BlobGetter) (Blobs, Stats, error) {
	blobs, st, err := f.Fetch(ctx, wants)
	var refused *RefusedError
	if err == nil || fallback == nil || !errors.As(err, &refused) {
		return blobs, st, err
	}
	start := time.Now()
	blobs, err = GetBlobs(ctx, fallback, wants, f.concurrency, f.maxBytes)
	st = Stats{Fallback: true, Requests: len(blobs), Objects: len(blobs), Bytes: blobs.Size(), Duration: time.Since(start)}
	if err != nil {
		return nil, st, fmt.Errorf("fetch blobs from %s after %s: %w", f.url, refused.Reason, err)
	}
	return blobs, st, nil
}

// GetBlobs reads the wanted blobs with g, at most concurrency at a time
// (DefaultConcurrency when not positive), and checks each against its id.
// It stops at the first error, and fails with ErrTooLarge once the blobs
// exceed maxBytes (no cap when not positive).
func GetBlobs(ctx context.Context, g BlobGetter, wants []string, concurrency int, maxBytes int64) (Blobs, error) {
	ids, err := normalize(wants)
	if err != nil {
		return nil, err
	}
	if concurrency <= 0 {
		concurrency = DefaultConcurrency
	}
	var (
		mu    sync.Mutex
		total int64
		out   = make(Blobs, len(ids))
	)
	p := pool.New().WithContext(ctx).WithMaxGoroutines(concurrency).WithCancelOnError().WithFirstError()
	for _, id := range ids {
		p.Go(func(ctx context.Context) error {
			b, err := g.GetBlob(ctx, id)
			if err != nil {
				return fmt.Errorf("blob %s: %w", id, err)
			}
			if got := plumbing.ComputeHash(plumbing.BlobObject, b).String(); got != id {
				return fmt.Errorf("blob %s: content hashes to %s", id, got)
			}
			mu.Lock()
			defer mu.Unlock()
			total += int64(len(b))
			if maxBytes > 0 && total > maxBytes {
				return fmt.Errorf("%w of %d bytes", ErrTooLarge, maxBytes)
			}
			out[id] = b
			return nil
		})
	}
	if err := p.Wait(); err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, ctxErr
		}
		return nil, err
	}
	return out, nil
}

// RESTGetter reads blobs with GitHub's REST API,
// GET /repos/{owner}/{repo}/git/blobs/{sha}, asking for the raw media type
// so the bytes are not base64-encoded JSON. See
// https://docs.github.com/en/rest/git/blobs#get-a-blob.
type RESTGetter struct {
	BaseURL string       // API root: GitHub's, or GitHub Enterprise Server's .../api/v3
	Owner   string       // repository owner
	Repo    string       // repository name
	Token   string       // installation token
	Client  *http.Client // nil means http.DefaultClient
}

var _ BlobGetter = (*RESTGetter)(nil)

// GetBlob implements BlobGetter.
func (g *RESTGetter) GetBlob(ctx context.Context, id string) ([]byte, error) {
	u := fmt.Sprintf("%s/repos/%s/%s/git/blobs/%s", strings.TrimSuffix(g.BaseURL, "/"),
		url.PathEscape(g.Owner), url.PathEscape(g.Repo), url.PathEscape(id))
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("build blob request: %w", err)
	}
	req.Header.Set("Accept", "application/vnd.github.raw+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	if g.Token != "" {
		req.Header.Set("Authorization", "Bearer "+g.Token)
	}
	c := g.Client
	if c == nil {
		c = http.DefaultClient
	}
	res, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("get blob: %w", err)
	}
	defer res.Body.Close()
	switch res.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound:
		return nil, ErrNotFound
	default:
		return nil, &HTTPError{StatusCode: res.StatusCode, URL: g.BaseURL}
	}
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, fmt.Errorf("read blob: %w", err)
	}
	return b, nil
}
