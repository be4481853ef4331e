package partner

// The signature scheme both directions use, modelled on Expedia Group's
// lodging notifications but with hex digests and seconds:
//
//	X-Hub-Timestamp: <unix seconds>
//	X-Hub-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + rawBody)>
//
// Details (the partner-facing summary is in doc.go):
//
//   - The timestamp is decimal digits only (no sign, no fraction) and must be
//     within ReplayWindow of our clock in either direction; exactly five
//     minutes still passes.
//   - During secret rotation two secrets are configured (current, then
//     previous) and the signature header may carry several comma-separated
//     values, e.g. "sha256=<new>,sha256=<old>"; the request passes when any
//     sha256 value matches any configured secret. Values with another scheme
//     (say "sha512=") are ignored so a sender can add one later without
//     breaking us; a header with no usable sha256 value fails.
//   - We send lowercase hex, but accept hex in either case: the digest is
//     decoded and compared as bytes, in constant time.
//   - An empty secret never verifies anything.

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Header names of the scheme.
const (
	HeaderTimestamp = "X-Hub-Timestamp"
	HeaderSignature = "X-Hub-Signature"
)

// ReplayWindow is how far a request's timestamp may be from our clock, in
// the past or in the future.
const ReplayWindow = 5 * time.Minute

const scheme = "sha256="

// maxTimestampDigits bounds the timestamp header; 12 digits reach far past
// year 30000 and keep time arithmetic clear of overflow.
const maxTimestampDigits = 12

// Sentinel errors returned by Verify, so the adapter can map each one to its
// own 401 code. Compare with errors.Is.
var (
	ErrMissingSignature = errors.New("partner: missing timestamp or signature header")
	ErrBadTimestamp     = errors.New("partner: malformed timestamp header")
	ErrStale            = errors.New("partner: timestamp outside the replay window")
	ErrBadSignature     = errors.New("partner: signature does not match")
)

// Sign returns the two header values for body at time now.
func Sign(secret []byte, body []byte, now time.Time) (timestamp, signature string) {
	timestamp = strconv.FormatInt(now.Unix(), 10)
	return timestamp, scheme + hex.EncodeToString(mac(secret, timestamp, body))
}

// Verify checks the headers against the raw body; secrets are tried in order
// (current, then previous). It returns nil or one of the sentinel errors.
func Verify(secrets [][]byte, timestampHeader, signatureHeader string, body []byte, now time.Time) error {
	timestampHeader = strings.TrimSpace(timestampHeader)
	if timestampHeader == "" || strings.TrimSpace(signatureHeader) == "" {
		return ErrMissingSignature
	}
	ts, err := parseTimestamp(timestampHeader)
	if err != nil {
		return err
	}
	if age := now.Sub(time.Unix(ts, 0)); age > ReplayWindow || age < -ReplayWindow {
		return ErrStale
	}

	var candidates [][]byte
	for _, v := range strings.Split(signatureHeader, ",") {
		v = strings.TrimSpace(v)
		if !strings.HasPrefix(v, scheme) {
			continue
		}
		d, err := hex.DecodeString(v[len(scheme):])
		if err != nil || len(d) != sha256.Size {
			continue
		}
		candidates = append(candidates, d)
	}
	if len(candidates) == 0 {
		return ErrBadSignature
	}
	for _, secret := range secrets {
		if len(secret) == 0 {
			continue
		}
		want := mac(secret, timestampHeader, body)
		for _, got := range candidates {
			if hmac.Equal(got, want) {
				return nil
			}
		}
	}
	return ErrBadSignature
}

// parseTimestamp accepts unix seconds written as plain decimal digits.
func parseTimestamp(s string) (int64, error) {
	if len(s) > maxTimestampDigits {
		return 0, ErrBadTimestamp
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, ErrBadTimestamp
		}
	}
	ts, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, ErrBadTimestamp
	}
	return ts, nil
}

func mac(secret []byte, timestamp string, body []byte) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(timestamp))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}
