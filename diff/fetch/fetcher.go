package fetch

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/sideband"
	"github.com/go-git/go-git/v5/storage/memory"
)

// DefaultMaxBytes is the byte cap of a Fetcher without WithMaxBytes.
const DefaultMaxBytes = 256 << 20

// Fetcher fetches blobs by id from one remote repository. It is safe for
// concurrent use.
type Fetcher struct {
	url      *url.URL // without credentials
	client   *http.Client
	token    string
	maxBytes int64
	agent    string

	concurrency int          // of the fallback in Load
	adverts     *AdvertCache // nil: GET the advertisement every time
}

// Option configures a Fetcher.
type Option func(*Fetcher)

// WithToken authenticates with an installation token, sent as basic auth
// with user x-access-token, as GitHub wants for git over HTTPS.
func WithToken(token string) Option { return func(f *Fetcher) { f.token = token } }

// WithHTTPClient sets the HTTP client (default: a new http.Client with no
// timeout; the context bounds each fetch).
func WithHTTPClient(c *http.Client) Option { return func(f *Fetcher) { f.client = c } }

// WithMaxBytes caps the response bytes of one Fetch (default
// DefaultMaxBytes). A fetch that would exceed it fails with ErrTooLarge.
func WithMaxBytes(n int64) Option { return func(f *Fetcher) { f.maxBytes = n } }

// WithAdvertCache reuses protocol v2 advertisements from c, shared by
// the Fetchers of all fetches from a remote, so a fetch with a remembered
// advertisement makes one request instead of two. When the server rejects
// a request built from a remembered advertisement in a way staleness could
// explain (HTTP 400, 405, 406, 415 or 422, or an error line or unexpected
// reply where the pack should start), the entry is dropped and the fetch
// is redone once with a fresh advertisement. A nil c caches nothing.
func WithAdvertCache(c *AdvertCache) Option { return func(f *Fetcher) { f.adverts = c } }

// Stats describes one fetch.
type Stats struct {
	Bytes    int64 // response body bytes received
	Objects  int   // objects in the received pack
	Requests int   // HTTP requests made
	// AdvertCached says the fetch reused a remembered advertisement and
	// made no GET (WithAdvertCache).
	AdvertCached bool
	Protocol     int           // git protocol version used: 2, or 0
	Fallback     bool          // blobs came from the fallback BlobGetter (Load)
	Duration     time.Duration // wall time
}

// New returns a Fetcher for the repository at remoteURL (an https or http
// clone URL such as https://github.com/owner/repo.git). Credentials in the
// URL are ignored; use WithToken.
func New(remoteURL string, opts ...Option) (*Fetcher, error) {
	u, err := url.Parse(remoteURL)
	if err != nil {
		return nil, fmt.Errorf("parse remote url: %w", err)
	}
	if u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
		return nil, fmt.Errorf("remote url %q: want an http or https clone url", u.Redacted())
	}
	u.User = nil
	u.Path = strings.TrimSuffix(u.Path, "/")
	f := &Fetcher{url: u, client: &http.Client{}, maxBytes: DefaultMaxBytes, agent: "picket", concurrency: DefaultConcurrency}
	for _, o := range opts {
		o(f)
	}
	return f, nil
}

// Fetch downloads exactly the wanted blobs in one upload-pack exchange and
// returns them by id. It fails with ErrInvalidID for a malformed id,
// *RefusedError when the server will not serve objects by id,
// ErrNotFound when a wanted blob is missing, ErrTooLarge past the byte
// cap, *HTTPError for an unexpected status, or the context's error. It
// never returns a partial result as complete.
func (f *Fetcher) Fetch(ctx context.Context, wants []string) (Blobs, Stats, error) {
	start := time.Now()
	var st Stats
	blobs, err := f.fetch(ctx, wants, &st)
	st.Duration = time.Since(start)
	if err != nil {
		return nil, st, fmt.Errorf("fetch %d blobs from %s: %w", len(wants), f.url, err)
	}
	return blobs, st, nil
}

func (f *Fetcher) fetch(ctx context.Context, wants []string, st *Stats) (Blobs, error) {
	ids, err := normalize(wants)
	if err != nil || len(ids) == 0 {
		return Blobs{}, err
	}
	budget := &budget{limit: f.maxBytes}
	defer func() { st.Bytes = budget.n }()

	key := f.url.String() // without credentials: never key by token
	if adv := f.adverts.get(key); adv != nil {
		st.AdvertCached = true
		blobs, stale, err := f.pack(ctx, adv, ids, budget, st)
		if err == nil || !stale || budget.exceeded || ctx.Err() != nil {
			return blobs, err
		}
		// The server rejected a request built from the remembered
		// advertisement: it may have been upgraded or reconfigured.
		// Forget it and do the full exchange, once.
		f.adverts.drop(key, adv)
		st.AdvertCached = false
		st.Objects = 0
	}
	adv, err := f.advertisement(ctx, budget, st)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, ctxErr
		}
		return nil, budget.check(err)
	}
	blobs, _, err := f.pack(ctx, adv, ids, budget, st)
	if err == nil {
		f.adverts.put(key, adv) // v2 only; proven by this fetch
	}
	return blobs, err
}

// pack makes the upload-pack POST for ids as adv allows and reads the
// pack. stale reports an error a stale advertisement could explain: the
// server rejected the request itself, before any pack (see staleStatus
// and readPreamble).
func (f *Fetcher) pack(ctx context.Context, adv *advert, ids []string, budget *budget, st *Stats) (_ Blobs, stale bool, _ error) {
	body, err := adv.request(ids, f.agent)
	if err != nil {
		return nil, false, err
	}
	res, err := f.do(ctx, http.MethodPost, "/git-upload-pack", body, adv.version, st)
	if err != nil {
		var he *HTTPError
		return nil, errors.As(err, &he) && staleStatus(he.StatusCode), err
	}
	defer res.Body.Close()
	st.Protocol = adv.version
	r := budget.reader(res.Body)
	if stale, err := readPreamble(r, adv.version); err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, false, ctxErr
		}
		return nil, stale, budget.check(err)
	}
	store := memory.NewStorage()
	guard := &packGuard{wants: uint32(len(ids)), limit: f.maxBytes}
	if err := readPack(r, store, guard); err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, false, ctxErr
		}
		return nil, false, budget.check(err)
	}
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	st.Objects = len(store.Objects)
	blobs, err := collect(store, ids)
	return blobs, false, err
}

// staleStatus reports whether an HTTP status answering the pack POST may
// mean the server no longer accepts a request built from a remembered
// advertisement: it finds the request malformed (400, 422), will not take
// its method or media types (405, 406, 415). Not 401, 403 or 404 (auth
// and visibility: the GET would say the same), nor 408, 413 or 429 (load
// and size: repeating the request at once would not help), nor 5xx.
func staleStatus(code int) bool {
	switch code {
	case http.StatusBadRequest, http.StatusMethodNotAllowed, http.StatusNotAcceptable,
		http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity:
		return true
	}
	return false
}

// readPack reads the pack's side-band stream, which follows the preamble,
// into store.
func readPack(r io.Reader, store *memory.Storage, guard *packGuard) error {
	demux := sideband.NewDemuxer(sideband.Sideband64k, r)
	p, err := packfile.NewParserWithStorage(packfile.NewScanner(demux), store, guard)
	if err != nil {
		return fmt.Errorf("read pack: %w", err)
	}
	if _, err := p.Parse(); err != nil {
		if errors.Is(err, packfile.ErrEmptyPackfile) {
			return fmt.Errorf("read pack: server sent no objects")
		}
		return fmt.Errorf("read pack: %w", err)
	}
	// Drain to the final flush so a trailing side-band error is seen.
	if _, err := io.Copy(io.Discard, demux); err != nil {
		return fmt.Errorf("read pack trailer: %w", err)
	}
	return nil
}

// packGuard checks a pack as it is parsed, before objects are inflated:
// no more objects than wants (a commit want would drag in its history),
// and inflated sizes within the byte cap (a small pack may inflate to a
// huge blob).
type packGuard struct {
	wants    uint32
	limit    int64
	inflated int64
}

func (g *packGuard) OnHeader(count uint32) error {
	if count > g.wants {
		return fmt.Errorf("pack has %d objects for %d wants: a want is not a blob", count, g.wants)
	}
	return nil
}

func (g *packGuard) OnInflatedObjectHeader(_ plumbing.ObjectType, size, _ int64) error {
	g.inflated += size
	if g.limit > 0 && g.inflated > g.limit {
		return fmt.Errorf("%w of %d bytes: objects inflate past it", ErrTooLarge, g.limit)
	}
	return nil
}

func (g *packGuard) OnInflatedObjectContent(plumbing.Hash, int64, uint32, []byte) error { return nil }

func (g *packGuard) OnFooter(plumbing.Hash) error { return nil }

// collect copies the wanted blobs out of the store.
func collect(store *memory.Storage, ids []string) (Blobs, error) {
	out := make(Blobs, len(ids))
	var missing []string
	for _, id := range ids {
		obj, err := store.EncodedObject(plumbing.AnyObject, plumbing.NewHash(id))
		if err != nil {
			missing = append(missing, id)
			continue
		}
		if obj.Type() != plumbing.BlobObject {
			return nil, fmt.Errorf("object %s is a %s, not a blob: %w", id, obj.Type(), ErrNotFound)
		}
		r, err := obj.Reader()
		if err != nil {
			return nil, fmt.Errorf("read blob %s: %w", id, err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			return nil, fmt.Errorf("read blob %s: %w", id, err)
		}
		out[id] = b
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("pack lacks %d wanted objects (first %s): %w", len(missing), missing[0], ErrNotFound)
	}
	return out, nil
}

// normalize lower-cases, validates and de-duplicates ids, keeping order.
func normalize(wants []string) ([]string, error) {
	seen := make(map[string]bool, len(wants))
	ids := make([]string, 0, len(wants))
	for _, w := range wants {
		id := strings.ToLower(w)
		if _, err := hex.DecodeString(id); err != nil || len(id) != 40 {
			return nil, fmt.Errorf("want %q: %w", w, ErrInvalidID)
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return slices.Clip(ids), nil
}

// budget counts response bytes across one fetch and enforces the cap.
type budget struct {
	limit    int64
	n        int64
	exceeded bool
}

func (b *budget) reader(r io.Reader) io.Reader { return &budgetReader{r: r, b: b} }

// check replaces err by ErrTooLarge when the cap caused it, whatever
// wrapping the pack parser added.
func (b *budget) check(err error) error {
	if b.exceeded {
		return fmt.Errorf("%w of %d bytes", ErrTooLarge, b.limit)
	}
	return err
}

type budgetReader struct {
	r io.Reader
	b *budget
}

func (br *budgetReader) Read(p []byte) (int, error) {
	if br.b.exceeded {
		return 0, ErrTooLarge
	}
	n, err := br.r.Read(p)
	br.b.n += int64(n)
	if br.b.limit > 0 && br.b.n > br.b.limit {
		br.b.exceeded = true
		return n, ErrTooLarge
	}
	return n, err
}
