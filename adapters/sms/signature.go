package sms

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"slices"
	"strings"
)

// Signature computes X-Twilio-Signature for a POST to fullURL with form params.
func Signature(authToken, fullURL string, params url.Values) string {
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(fullURL))
	names := make([]string, 0, len(params))
	for name := range params {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		values := slices.Clone(params[name])
		slices.Sort(values)
		for _, v := range slices.Compact(values) {
			mac.Write([]byte(name))
			mac.Write([]byte(v))
		}
	}
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// ValidSignature reports whether sig matches, in constant time; it accepts the
// URL as given and with/without the default port (https :443, http :80).
func ValidSignature(authToken, fullURL string, params url.Values, sig string) bool {
	if sig == "" {
		return false
	}
	ok := false
	for _, u := range urlVariants(fullURL) {
		// Check every variant so the time taken does not depend on which one matched.
		if hmac.Equal([]byte(Signature(authToken, u, params)), []byte(sig)) {
			ok = true
		}
	}
	return ok
}

// urlVariants returns fullURL as given and, for http and https, the same URL
// with the default port added (if it had none) or removed (if it had it).
func urlVariants(fullURL string) []string {
	variants := []string{fullURL}
	u, err := url.Parse(fullURL)
	if err != nil || u.Host == "" {
		return variants
	}
	var defaultPort string
	switch u.Scheme {
	case "https":
		defaultPort = "443"
	case "http":
		defaultPort = "80"
	default:
		return variants
	}
	switch {
	case strings.HasSuffix(u.Host, ":"):
		return variants // empty port: leave it alone
	case u.Port() == "":
		u.Host += ":" + defaultPort
	case u.Port() == defaultPort:
		u.Host = strings.TrimSuffix(u.Host, ":"+defaultPort)
	default:
		return variants
	}
	if alt := u.String(); alt != fullURL {
		variants = append(variants, alt)
	}
	return variants
}
