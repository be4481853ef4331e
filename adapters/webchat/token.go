package webchat

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

var b64 = base64.RawURLEncoding

// visitor is what a valid token proves.
type visitor struct {
	channelID string
	visitorID string
	expiresAt time.Time
}

// issueToken signs a token for visitorID on channelID, valid until expiresAt
// (whole seconds).
func (a *Adapter) issueToken(channelID, visitorID string, expiresAt time.Time) string {
	payload := channelID + "|" + visitorID + "|" + strconv.FormatInt(expiresAt.Unix(), 10)
	return b64.EncodeToString([]byte(payload)) + "." + b64.EncodeToString(a.mac(payload))
}

func (a *Adapter) mac(payload string) []byte {
	m := hmac.New(sha256.New, a.cfg.Secret)
	m.Write([]byte(payload))
	return m.Sum(nil)
}

// verifyToken checks the signature and expiry of token and that it was
// issued for channelID.
func (a *Adapter) verifyToken(token, channelID string) (visitor, bool) {
	encPayload, encSig, ok := strings.Cut(token, ".")
	if !ok || encPayload == "" || encSig == "" {
		return visitor{}, false
	}
	rawPayload, err := b64.DecodeString(encPayload)
	if err != nil {
		return visitor{}, false
	}
	sig, err := b64.DecodeString(encSig)
	if err != nil {
		return visitor{}, false
	}
	payload := string(rawPayload)
	if !hmac.Equal(sig, a.mac(payload)) {
		return visitor{}, false
	}
	// The channel id comes first and is the only part that could contain
	// '|': split the other two off the right.
	rest, expStr, ok := cutLast(payload, "|")
	if !ok {
		return visitor{}, false
	}
	chID, visitorID, ok := cutLast(rest, "|")
	if !ok || chID != channelID || visitorID == "" {
		return visitor{}, false
	}
	exp, err := strconv.ParseInt(expStr, 10, 64)
	if err != nil {
		return visitor{}, false
	}
	expiresAt := time.Unix(exp, 0).UTC()
	if !a.now().Before(expiresAt) {
		return visitor{}, false
	}
	return visitor{channelID: chID, visitorID: visitorID, expiresAt: expiresAt}, true
}

func cutLast(s, sep string) (before, after string, found bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// bearerToken extracts the token from an "Authorization: Bearer <token>"
// header value.
func bearerToken(header string) string {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}
