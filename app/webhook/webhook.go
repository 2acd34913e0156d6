// Package webhook is Picket's webhook entry point: a plain http.Handler
// that checks size and signature before parsing anything, decodes only
// the envelope, and hands the delivery to a Recorder that stores it and
// enqueues its work in one transaction. It never scans or calls GitHub
// inside the request (go-githubapp's dispatcher shape, with River in place
// of an in-memory scheduler).
//
// It must not import scanners or any GitHub client.
package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"time"
)

// MaxPayload is GitHub's cap on webhook payloads (25 MB): GitHub never
// sends a larger one, so anything bigger is not from GitHub.
const MaxPayload = 25 << 20

// Delivery is one verified webhook delivery.
type Delivery struct {
	ID             string // X-GitHub-Delivery, the idempotency key
	Event          string // X-GitHub-Event
	Action         string // payload "action", empty for ping
	InstallationID int64  // payload installation.id, 0 when absent
	Payload        []byte // the raw verified body
	ReceivedAt     time.Time
}

// Outcome is what the Recorder did with a delivery.
type Outcome int

// The outcomes.
const (
	Accepted  Outcome = iota // stored and, where there is work, enqueued
	Duplicate                // this delivery id was already recorded: nothing done
	Ignored                  // a handled event whose action needs no work
	// Coalesced: stored, but every job it asked for was already queued or
	// running for the same head (River's uniqueness), so the work in
	// flight answers it and nothing new was enqueued.
	Coalesced
)

// ErrInvalidPayload is wrapped by a Recorder's error when a verified
// payload cannot be understood (a required field missing); the handler
// answers 400, since a redelivery would not fix it.
var ErrInvalidPayload = errors.New("invalid payload")

// Recorder stores a delivery and enqueues its work in one transaction.
// It returns Duplicate for a delivery id it has already recorded. An
// error means nothing was stored: the handler answers 503 so that GitHub
// marks the delivery failed and it can be redelivered.
type Recorder interface {
	Record(ctx context.Context, d Delivery) (Outcome, error)
}

// Handler serves POST /webhook.
type Handler struct {
	secret  []byte
	rec     Recorder
	handled map[string]bool
	log     *slog.Logger
	now     func() time.Time
	observe func(event, outcome string)
}

// Option configures a Handler.
type Option func(*Handler)

// WithLogger sets the logger (default: discard).
func WithLogger(l *slog.Logger) Option { return func(h *Handler) { h.log = l } }

// WithObserver is called once per request with the event and outcome,
// for metrics.
func WithObserver(fn func(event, outcome string)) Option { return func(h *Handler) { h.observe = fn } }

// New returns a handler that verifies deliveries with secret and records
// those whose event is in handled; other events are acknowledged with 202
// and dropped.
func New(secret string, rec Recorder, handled []string, opts ...Option) (*Handler, error) {
	if secret == "" {
		return nil, errors.New("webhook: empty secret: every delivery would be unverifiable")
	}
	h := &Handler{secret: []byte(secret), rec: rec, handled: map[string]bool{}, log: slog.New(slog.DiscardHandler),
		now: time.Now, observe: func(string, string) {}}
	for _, e := range handled {
		h.handled[e] = true
	}
	for _, o := range opts {
		o(h)
	}
	return h, nil
}

// envelope is the part of every payload the handler reads.
type envelope struct {
	Action       string `json:"action"`
	Installation *struct {
		ID int64 `json:"id"`
	} `json:"installation"`
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	event := r.Header.Get("X-GitHub-Event")
	id := r.Header.Get("X-GitHub-Delivery")
	log := h.log.With("delivery_id", id, "event", event)
	status, outcome, msg := h.serve(r, event, id, log)
	h.observe(event, outcome)
	level := slog.LevelInfo
	if status >= 400 {
		level = slog.LevelWarn
	}
	log.Log(r.Context(), level, "webhook", "status", status, "outcome", outcome, "detail", msg)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintln(w, msg)
}

// serve returns the status code, an outcome label and a message.
func (h *Handler) serve(r *http.Request, event, id string, log *slog.Logger) (int, string, string) {
	if r.Method != http.MethodPost {
		return http.StatusMethodNotAllowed, "bad_method", "webhooks are POSTed"
	}
	if ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || ct != "application/json" {
		return http.StatusUnsupportedMediaType, "bad_content_type", "set the webhook's content type to application/json"
	}
	if r.ContentLength > MaxPayload {
		return http.StatusRequestEntityTooLarge, "too_large", "payload over 25 MB"
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, MaxPayload))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return http.StatusRequestEntityTooLarge, "too_large", "payload over 25 MB"
	case err != nil:
		return http.StatusBadRequest, "bad_body", "could not read the body"
	}
	if !h.verify(r.Header.Get("X-Hub-Signature-256"), body) {
		return http.StatusUnauthorized, "bad_signature", "missing or wrong X-Hub-Signature-256"
	}
	if event == "" || id == "" {
		return http.StatusBadRequest, "bad_headers", "X-GitHub-Event and X-GitHub-Delivery are required"
	}
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return http.StatusBadRequest, "bad_json", "malformed JSON: " + err.Error()
	}
	if !h.handled[event] {
		return http.StatusAccepted, "ignored_event", "event not handled by Picket"
	}
	d := Delivery{ID: id, Event: event, Action: env.Action, Payload: body, ReceivedAt: h.now()}
	if env.Installation != nil {
		d.InstallationID = env.Installation.ID
	}
	out, err := h.rec.Record(r.Context(), d)
	if errors.Is(err, ErrInvalidPayload) {
		return http.StatusBadRequest, "bad_payload", err.Error()
	}
	if err != nil {
		log.Error("record delivery", "err", err)
		return http.StatusServiceUnavailable, "error", "could not record the delivery; it can be redelivered"
	}
	switch out {
	case Duplicate:
		return http.StatusOK, "duplicate", "delivery already recorded"
	case Ignored:
		return http.StatusAccepted, "ignored_action", "action needs no work"
	case Coalesced:
		return http.StatusAccepted, "coalesced", "a scan of this head is already queued or running; it answers this delivery"
	}
	return http.StatusAccepted, "accepted", "queued"
}

// verify checks "sha256=<hex HMAC-SHA256 of body>" in constant time.
func (h *Handler) verify(header string, body []byte) bool {
	hexSig, ok := strings.CutPrefix(header, "sha256=")
	if !ok {
		return false
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil {
		return false
	}
	m := hmac.New(sha256.New, h.secret)
	m.Write(body)
	return hmac.Equal(got, m.Sum(nil))
}
