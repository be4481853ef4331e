package sms

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"time"

	twclient "github.com/twilio/twilio-go/client"
	openapi "github.com/twilio/twilio-go/rest/api/v2010"
)

// maxClients bounds the client cache; past it the cache starts over
// (rotated tokens leave stale entries behind).
const maxClients = 256

// maxErrorBody bounds how much of an error answer is read.
const maxErrorBody = 64 << 10

// clientKey identifies a cached twilio-go client.
type clientKey struct {
	accountSID string
	authToken  string
	apiBase    string
}

// api returns the twilio-go API service for the channel's credentials and
// base URL, building it on first use.
func (a *Adapter) api(s settings) *openapi.ApiService {
	key := clientKey{accountSID: s.accountSID, authToken: s.authToken}
	if s.apiBase != nil {
		key.apiBase = s.apiBase.String()
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if svc, ok := a.clients[key]; ok {
		return svc
	}
	if len(a.clients) >= maxClients {
		clear(a.clients)
	}
	hc := &http.Client{
		Transport: &apiTransport{base: a.transport, target: s.apiBase, now: a.now},
		Timeout:   a.apiTimeout,
		// Like twilio-go's own default client: the API does not redirect
		// sends, and a redirect must not carry the credentials elsewhere.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	tc := &twclient.Client{Credentials: twclient.NewCredentials(s.accountSID, s.authToken), HTTPClient: hc}
	tc.SetAccountSid(s.accountSID)
	handler := twclient.NewRequestHandler(tc)
	// The channel's apiBaseUrl is the one way to pick an edge: the
	// process-wide TWILIO_EDGE / TWILIO_REGION are ignored.
	handler.Edge, handler.Region = "", ""
	svc := openapi.NewApiService(handler)
	a.clients[key] = svc
	return svc
}

// apiTransport aims twilio-go's requests at the channel's apiBaseUrl and
// makes every error answer one twilio-go can decode.
type apiTransport struct {
	base   http.RoundTripper
	target *url.URL // nil: leave the URL alone
	now    func() time.Time
}

func (t *apiTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.target != nil {
		r := req.Clone(req.Context())
		r.URL.Scheme = t.target.Scheme
		r.URL.Host = t.target.Host
		r.URL.Path = t.target.Path + req.URL.Path
		r.URL.RawPath = ""
		r.Host = ""
		req = r
	}
	resp, err := t.base.RoundTrip(req)
	if err != nil || resp.StatusCode < 400 {
		return resp, err
	}
	t.normalizeError(resp)
	return resp, nil
}

// normalizeError rewrites an error answer's body as Twilio's JSON error
// with the HTTP status as "status" (HTML from a proxy becomes a plain
// error of that status), and records a 429's Retry-After in "details",
// because twilio-go keeps neither headers nor undecodable bodies.
func (t *apiTransport) normalizeError(resp *http.Response) {
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	_ = resp.Body.Close()
	var body map[string]any
	if json.Unmarshal(data, &body) != nil || body == nil {
		body = map[string]any{}
	}
	out := map[string]any{"status": resp.StatusCode}
	if code, ok := body["code"].(float64); ok {
		out["code"] = code
	}
	if msg, ok := body["message"].(string); ok {
		out["message"] = msg
	} else {
		out["message"] = http.StatusText(resp.StatusCode)
	}
	if info, ok := body["more_info"].(string); ok {
		out["more_info"] = info
	}
	details, _ := body["details"].(map[string]any)
	if resp.StatusCode == http.StatusTooManyRequests {
		if secs, ok := parseRetryAfter(resp.Header.Get("Retry-After"), t.now()); ok {
			if details == nil {
				details = map[string]any{}
			}
			details[retryAfterDetail] = secs
		}
	}
	if details != nil {
		out["details"] = details
	}
	encoded, _ := json.Marshal(out) // maps of plain JSON values always encode
	resp.Body = io.NopCloser(bytes.NewReader(encoded))
	resp.ContentLength = int64(len(encoded))
	resp.Header.Del("Content-Length")
	resp.Header.Del("Content-Encoding")
	resp.Header.Set("Content-Type", "application/json")
}
