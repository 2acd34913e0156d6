package githubtest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// MaxWebhookPayload is GitHub's cap: "Payloads are capped at 25 MB. If
// your event generates a larger payload, a webhook will not be fired"
// (docs.github.com/webhooks/webhook-events-and-payloads).
const MaxWebhookPayload = 25 << 20

// ErrPayloadTooLarge is returned by Deliver for a payload GitHub would not
// send at all.
var ErrPayloadTooLarge = errors.New("webhook payload over 25 MB: GitHub does not fire it")

// Sign is the X-Hub-Signature-256 value of payload: "sha256=" and the hex
// HMAC-SHA256 of the exact bytes with the webhook secret as key.
func Sign(secret string, payload []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(payload)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// signSHA1 is the legacy X-Hub-Signature GitHub still sends.
func signSHA1(secret string, payload []byte) string {
	m := hmac.New(sha1.New, []byte(secret))
	m.Write(payload)
	return "sha1=" + hex.EncodeToString(m.Sum(nil))
}

// DeliveryResult is the receiver's answer to a delivery.
type DeliveryResult struct {
	ID     string // the X-GitHub-Delivery GUID sent
	Status int
	Header http.Header
	Body   []byte
}

// DeliverOption adjusts one delivery.
type DeliverOption func(*http.Request)

// WithDeliveryID sends id as X-GitHub-Delivery (to model a redelivery,
// which GitHub sends with the original id).
func WithDeliveryID(id string) DeliverOption {
	return func(r *http.Request) { r.Header.Set("X-GitHub-Delivery", id) }
}

// WithHeader sets or, with an empty value, removes a header (to model a
// missing or forged signature).
func WithHeader(k, v string) DeliverOption {
	return func(r *http.Request) {
		if v == "" {
			r.Header.Del(k)
			return
		}
		r.Header.Set(k, v)
	}
}

// Deliver posts a webhook as GitHub does: the exact payload bytes signed
// with secret, with the X-GitHub-Event, X-GitHub-Delivery (a fresh GUID),
// X-Hub-Signature-256, X-Hub-Signature, X-GitHub-Hook-* and
// GitHub-Hookshot User-Agent headers.
func Deliver(ctx context.Context, url, secret, event string, payload []byte, opts ...DeliverOption) (DeliveryResult, error) {
	if len(payload) > MaxWebhookPayload {
		return DeliveryResult{}, ErrPayloadTooLarge
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(payload))
	if err != nil {
		return DeliveryResult{}, fmt.Errorf("deliver %s: %w", event, err)
	}
	id := NewGUID()
	h := req.Header
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", "GitHub-Hookshot/githubtest")
	h.Set("X-GitHub-Event", event)
	h.Set("X-GitHub-Delivery", id)
	h.Set("X-GitHub-Hook-ID", "1")
	h.Set("X-GitHub-Hook-Installation-Target-ID", "1")
	h.Set("X-GitHub-Hook-Installation-Target-Type", "integration")
	h.Set("X-Hub-Signature-256", Sign(secret, payload))
	h.Set("X-Hub-Signature", signSHA1(secret, payload))
	for _, o := range opts {
		o(req)
	}
	client := &http.Client{}
	resp, err := client.Do(req)
	if err != nil {
		return DeliveryResult{}, fmt.Errorf("deliver %s: %w", event, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return DeliveryResult{}, fmt.Errorf("deliver %s: read answer: %w", event, err)
	}
	return DeliveryResult{ID: req.Header.Get("X-GitHub-Delivery"), Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// NewGUID is a random version-4 UUID, the form of X-GitHub-Delivery.
func NewGUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
