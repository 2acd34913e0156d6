package githubtest

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TokenTTL is how long an installation token lives: "Installation tokens
// expire one hour from the time you create them. Using an expired token
// produces a status code of 401" (docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app).
const TokenTTL = time.Hour

// maxJWTLifetime: GitHub rejects app JWTs whose exp is more than 10
// minutes after iat; a minute of clock drift is tolerated here.
const maxJWTLifetime = 11 * time.Minute

// appJWTOps are the operations that take an app JWT; manifest conversion
// takes none; everything else an installation token
// (shared/github/README.md, "Checking requests").
var appJWTOps = map[string]bool{
	"apps/get-authenticated":                true,
	"apps/list-installations":               true,
	"apps/create-installation-access-token": true,
	"apps/get-repo-installation":            true,
	"apps/list-webhook-deliveries":          true,
	"apps/get-webhook-delivery":             true,
	"apps/redeliver-webhook-delivery":       true,
}

// GenerateAppKey makes a fresh RSA key for a test app and returns it with
// its PKCS#1 PEM encoding (what ghinstallation.NewAppsTransport reads).
func GenerateAppKey(t testing.TB) (*rsa.PrivateKey, []byte) {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatalf("githubtest: generate RSA key: %v", err)
	}
	p := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})
	return k, p
}

// authenticate checks the Authorization header for ex.op. A missing or
// malformed credential, or the wrong kind, is a contract violation and
// fails the test; an expired or unknown token is a runtime condition
// GitHub answers with 401, which the app must handle.
func (s *Server) authenticate(ex *exchange) (reply, bool) {
	if ex.op == "apps/create-from-manifest" {
		return reply{}, true
	}
	authz := ex.r.Header.Get("Authorization")
	scheme, cred, _ := strings.Cut(authz, " ")
	scheme = strings.ToLower(scheme)
	if appJWTOps[ex.op] {
		if scheme != "bearer" || strings.Count(cred, ".") != 2 {
			s.violation("%s needs an app JWT (Authorization: Bearer <jwt>), got %q", ex.op, redactAuth(authz))
			return requiresAuth(), false
		}
		appID, err := s.verifyJWT(cred)
		if err != nil {
			s.violation("%s: bad app JWT: %v", ex.op, err)
			return basicError(http.StatusUnauthorized, "A JSON web token could not be decoded"), false
		}
		ex.appID = appID
		return reply{}, true
	}
	if (scheme != "token" && scheme != "bearer") || cred == "" || strings.Count(cred, ".") == 2 {
		s.violation("%s needs an installation token, got %q", ex.op, redactAuth(authz))
		return requiresAuth(), false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	tok, ok := s.st.tokens[cred]
	if !ok {
		return basicError(http.StatusUnauthorized, "Bad credentials"), false
	}
	if !s.clock.Now().Before(tok.expiresAt) {
		return basicError(http.StatusUnauthorized, "Bad credentials"), false
	}
	ex.inst = s.st.insts[tok.inst]
	if name := ex.repoName(); name != "/" {
		if rs, ok := s.st.repos[name]; ok && rs.InstallationID != tok.inst {
			return basicError(http.StatusNotFound, "Not Found"), false
		}
	}
	return reply{}, true
}

func requiresAuth() reply {
	return basicError(http.StatusUnauthorized, "Requires authentication")
}

// redactAuth keeps a credential out of test logs.
func redactAuth(h string) string {
	if len(h) > 12 {
		return h[:12] + "…"
	}
	return h
}

// verifyJWT checks an RS256 app JWT: signature by a registered app's key,
// iss naming that app, iat not in the future, exp not passed and not
// more than ten minutes after iat (real time, see below).
func (s *Server) verifyJWT(jwt string) (int64, error) {
	parts := strings.Split(jwt, ".")
	hdrB, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		return 0, fmt.Errorf("decode header: %w", err)
	}
	var hdr struct {
		Alg string `json:"alg"`
	}
	if err := json.Unmarshal(hdrB, &hdr); err != nil {
		return 0, fmt.Errorf("parse header: %w", err)
	}
	if hdr.Alg != "RS256" {
		return 0, fmt.Errorf("alg %q, want RS256", hdr.Alg)
	}
	claimsB, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return 0, fmt.Errorf("decode claims: %w", err)
	}
	var claims struct {
		Iss json.RawMessage `json:"iss"`
		Iat int64           `json:"iat"`
		Exp int64           `json:"exp"`
	}
	if err := json.Unmarshal(claimsB, &claims); err != nil {
		return 0, fmt.Errorf("parse claims: %w", err)
	}
	iss := strings.Trim(string(claims.Iss), `"`)
	appID, err := strconv.ParseInt(iss, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("iss %q is not an app id", iss)
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return 0, fmt.Errorf("decode signature: %w", err)
	}
	s.mu.Lock()
	pub, ok := s.st.apps[appID]
	s.mu.Unlock()
	if !ok {
		return 0, fmt.Errorf("no app %d", appID)
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig); err != nil {
		return 0, fmt.Errorf("signature: %w", err)
	}
	// JWTs are minted by the app from the real clock, which tests cannot
	// move, so their times are checked against the real clock too;
	// otherwise advancing the fake clock past ten minutes (to expire
	// installation tokens) would also make every fresh JWT look expired.
	now := time.Now().Unix()
	switch {
	case claims.Exp <= now:
		return 0, fmt.Errorf("expired at %d, now %d", claims.Exp, now)
	case claims.Iat > now+60:
		return 0, fmt.Errorf("issued in the future (%d, now %d)", claims.Iat, now)
	case time.Duration(claims.Exp-claims.Iat)*time.Second > maxJWTLifetime:
		return 0, fmt.Errorf("lifetime %ds over 10 minutes", claims.Exp-claims.Iat)
	}
	return appID, nil
}

// issueToken mints an installation token in the new variable-length
// format, so clients that assume 40 characters break in tests.
func (s *Server) issueToken(inst int64) *token {
	b := make([]byte, 30)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	v := fmt.Sprintf("ghs_%d_%s", s.st.insts[inst].AppID, base64.RawURLEncoding.EncodeToString(b))
	t := &token{value: v, inst: inst, expiresAt: s.clock.Now().Add(TokenTTL)}
	s.st.tokens[v] = t
	return t
}

// IssueToken mints an installation token directly, for tests that do not
// exercise the app-JWT exchange.
func (s *Server) IssueToken(installationID int64) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.st.insts[installationID]; !ok {
		s.t.Fatalf("githubtest: IssueToken: installation %d not added", installationID)
	}
	return s.issueToken(installationID).value
}
