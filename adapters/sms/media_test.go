package sms

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"hub/adapters"
	"hub/adapters/internal/adapterstest"
)

const mediaPath = "/2010-04-01/Accounts/" + testAccount + "/Messages/MM1/Media/ME1"

// mediaServers are a fake Twilio API on 127.0.0.1 that checks Basic auth and
// redirects to a fake CDN on "localhost" (another host, as for real).
type mediaServers struct {
	api, cdn  *httptest.Server
	apiHits   atomic.Int32
	cdnHits   atomic.Int32
	cdnAuth   atomic.Bool // the CDN saw an Authorization header
	cdnBody   string
	cdnLength bool // send Content-Length (else chunked)
}

func newMediaServers(t *testing.T, body string, withLength bool) *mediaServers {
	t.Helper()
	m := &mediaServers{cdnBody: body, cdnLength: withLength}
	m.cdn = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.cdnHits.Add(1)
		if r.Header.Get("Authorization") != "" {
			m.cdnAuth.Store(true)
		}
		w.Header().Set("Content-Type", "image/jpeg")
		if !m.cdnLength {
			// Flushing before the body forces chunked encoding: no length.
			w.WriteHeader(http.StatusOK)
			w.(http.Flusher).Flush()
		}
		_, _ = io.WriteString(w, m.cdnBody)
	}))
	t.Cleanup(m.cdn.Close)
	_, cdnPort, _ := net.SplitHostPort(m.cdn.Listener.Addr().String())
	m.api = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.apiHits.Add(1)
		user, pass, ok := r.BasicAuth()
		if !ok || user != testAccount || pass != testAuthToken {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if r.URL.Path != mediaPath {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		http.Redirect(w, r, "http://localhost:"+cdnPort+"/cdn/ME1.jpg", http.StatusTemporaryRedirect)
	}))
	t.Cleanup(m.api.Close)
	return m
}

func mediaAdapter(maxBytes int64) *Adapter {
	return New(Config{Logger: slog.New(slog.DiscardHandler), MaxMediaBytes: maxBytes}, &fakeSink{}, adapterstest.NewDirectory())
}

func mediaChannel(apiBase string) adapters.Channel {
	return adapters.Channel{ID: "ch1", Type: ChannelType, Config: smsConfig(keyAPIBaseURL, apiBase)}
}

func expectHTTPError(t *testing.T, err error, status int, code string) {
	t.Helper()
	var he *adapters.HTTPError
	if !errors.As(err, &he) || he.Status != status || he.Code != code {
		t.Fatalf("err = %#v, want %d %s", err, status, code)
	}
}

func TestFetchMedia_BasicAuthThenCDNWithoutCredentials(t *testing.T) {
	m := newMediaServers(t, "JPEGDATA", true)
	a := mediaAdapter(0)
	media, err := a.FetchMedia(context.Background(), mediaChannel(m.api.URL), adapters.Attachment{URL: m.api.URL + mediaPath, Proxied: true})
	if err != nil {
		t.Fatal(err)
	}
	defer media.Body.Close()
	b, err := io.ReadAll(media.Body)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != "JPEGDATA" || media.ContentType != "image/jpeg" || media.Size != 8 {
		t.Fatalf("media %q %q %d", b, media.ContentType, media.Size)
	}
	if m.apiHits.Load() != 1 || m.cdnHits.Load() != 1 {
		t.Fatalf("hits api %d cdn %d", m.apiHits.Load(), m.cdnHits.Load())
	}
	if m.cdnAuth.Load() {
		t.Fatal("credentials were sent to the CDN")
	}
}

func TestFetchMedia_TwilioURLIsFetchedFromAPIBaseURL(t *testing.T) {
	m := newMediaServers(t, "x", true)
	a := mediaAdapter(0)
	media, err := a.FetchMedia(context.Background(), mediaChannel(m.api.URL), adapters.Attachment{URL: "https://api.twilio.com" + mediaPath})
	if err != nil {
		t.Fatal(err)
	}
	_ = media.Body.Close()
	if m.apiHits.Load() != 1 {
		t.Fatal("fake Twilio not asked")
	}
}

func TestFetchMedia_OnlyTwilioHostsGetTheCredentials(t *testing.T) {
	m := newMediaServers(t, "x", true)
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request reached another host: %s", r.URL)
	}))
	defer other.Close()
	a := mediaAdapter(0)
	ch := mediaChannel(m.api.URL)
	urls := []string{
		other.URL + mediaPath,
		"https://evil.example.com" + mediaPath,
		"https://api.twilio.com.evil.example.com" + mediaPath,
		"http://api.twilio.com" + mediaPath,
		"https://api.twilio.com:8443" + mediaPath,
		"https://" + testAccount + ":" + testAuthToken + "@api.twilio.com" + mediaPath,
		strings.Replace(m.api.URL, "http://", "https://", 1) + mediaPath,
		strings.Replace(m.api.URL, "127.0.0.1", "localhost", 1) + mediaPath,
		mediaPath,
		"",
		"::not a url",
	}
	for _, u := range urls {
		_, err := a.FetchMedia(context.Background(), ch, adapters.Attachment{URL: u})
		var he *adapters.HTTPError
		if !errors.As(err, &he) || he.Code != "media_forbidden" || he.Status/100 != 4 {
			t.Errorf("FetchMedia(%q) err = %v, want 4xx media_forbidden", u, err)
		}
	}
	// Without apiBaseUrl only api.twilio.com is allowed.
	_, err := a.FetchMedia(context.Background(), mediaChannel(""), adapters.Attachment{URL: m.api.URL + mediaPath})
	expectHTTPError(t, err, http.StatusForbidden, "media_forbidden")
	// A channel of another type is never used.
	web := ch
	web.Type = "webchat"
	_, err = a.FetchMedia(context.Background(), web, adapters.Attachment{URL: m.api.URL + mediaPath})
	expectHTTPError(t, err, http.StatusForbidden, "media_forbidden")
	if m.apiHits.Load() != 0 {
		t.Fatal("refused URL fetched")
	}
}

func TestFetchMedia_TooLargeByContentLength(t *testing.T) {
	m := newMediaServers(t, "0123456789A", true)
	a := mediaAdapter(10)
	_, err := a.FetchMedia(context.Background(), mediaChannel(m.api.URL), adapters.Attachment{URL: m.api.URL + mediaPath})
	expectHTTPError(t, err, http.StatusRequestEntityTooLarge, "media_too_large")
}

func TestFetchMedia_UnknownLengthIsCappedWhileReading(t *testing.T) {
	m := newMediaServers(t, "0123456789A", false)
	a := mediaAdapter(10)
	media, err := a.FetchMedia(context.Background(), mediaChannel(m.api.URL), adapters.Attachment{URL: m.api.URL + mediaPath})
	if err != nil {
		t.Fatal(err)
	}
	defer media.Body.Close()
	if media.Size != -1 {
		t.Fatalf("size %d, want -1 (unknown)", media.Size)
	}
	b, err := io.ReadAll(media.Body)
	expectHTTPError(t, err, http.StatusRequestEntityTooLarge, "media_too_large")
	if len(b) > 10 {
		t.Fatalf("%d bytes passed the 10-byte limit", len(b))
	}

	// Exactly at the limit is fine.
	m = newMediaServers(t, "0123456789", false)
	media, err = a.FetchMedia(context.Background(), mediaChannel(m.api.URL), adapters.Attachment{URL: m.api.URL + mediaPath})
	if err != nil {
		t.Fatal(err)
	}
	defer media.Body.Close()
	if b, err := io.ReadAll(media.Body); err != nil || string(b) != "0123456789" {
		t.Fatalf("read %q, %v", b, err)
	}
}

func TestFetchMedia_TwilioRefusals(t *testing.T) {
	m := newMediaServers(t, "x", true)
	a := mediaAdapter(0)
	_, err := a.FetchMedia(context.Background(), mediaChannel(m.api.URL), adapters.Attachment{URL: m.api.URL + "/2010-04-01/Accounts/" + testAccount + "/Messages/MM1/Media/GONE"})
	expectHTTPError(t, err, http.StatusNotFound, "media_not_found")

	wrongToken := mediaChannel(m.api.URL)
	wrongToken.Config[keyAuthToken] = "wrongToken"
	_, err = a.FetchMedia(context.Background(), wrongToken, adapters.Attachment{URL: m.api.URL + mediaPath})
	expectHTTPError(t, err, http.StatusBadGateway, "media_unavailable")
}

func TestFetchMedia_SlowAnswerTimesOut(t *testing.T) {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	a := New(Config{Logger: slog.New(slog.DiscardHandler), HTTPClient: &http.Client{Timeout: 50 * time.Millisecond}}, &fakeSink{}, adapterstest.NewDirectory())
	start := time.Now()
	_, err := a.FetchMedia(context.Background(), mediaChannel(slow.URL), adapters.Attachment{URL: slow.URL + mediaPath})
	if err == nil || !strings.Contains(err.Error(), "no answer within") {
		t.Fatalf("err = %v", err)
	}
	if time.Since(start) > time.Second {
		t.Fatal("header timeout not applied")
	}
}
