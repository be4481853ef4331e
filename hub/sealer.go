package hub

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
)

// sealer encrypts channel secrets with AES-256-GCM under a key derived
// from the server key (HUB_SECRET_KEY or the data directory's secret.key),
// so a copy of the database alone reveals no provider token. The channel
// id is not bound in: secrets are opaque values the store keeps next to it.
//
// Sealed form: "v1:" + base64url(nonce || ciphertext+tag). The version
// prefix leaves room for key rotation later.
type sealer struct{ aead cipher.AEAD }

const sealPrefix = "v1:"

// newSealer derives the encryption key from the server key; the label keeps
// it distinct from the key that signs visitor tokens.
func newSealer(serverKey []byte) *sealer {
	mac := hmac.New(sha256.New, serverKey)
	mac.Write([]byte("hub channel secrets v1"))
	// A 32-byte key and the standard nonce size: neither call can fail.
	block, _ := aes.NewCipher(mac.Sum(nil))
	aead, _ := cipher.NewGCM(block)
	return &sealer{aead: aead}
}

func (s *sealer) Seal(plain string) (string, error) {
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := s.aead.Seal(nonce, nonce, []byte(plain), nil)
	return sealPrefix + base64.RawURLEncoding.EncodeToString(out), nil
}

// errSealed is deliberately vague: it must not help guess the key.
var errSealed = errors.New("a channel secret cannot be decrypted: was HUB_SECRET_KEY or secret.key changed?")

func (s *sealer) Open(sealed string) (string, error) {
	raw, ok := strings.CutPrefix(sealed, sealPrefix)
	if !ok {
		return "", errSealed
	}
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil || len(b) < s.aead.NonceSize() {
		return "", errSealed
	}
	n := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, b[:n], b[n:], nil)
	if err != nil {
		return "", errSealed
	}
	return string(plain), nil
}

// maskSecret shows enough of a secret to recognise it, never enough to use it.
func maskSecret(v string) string {
	r := []rune(v)
	if len(r) < 12 {
		return "••••"
	}
	return "••••" + string(r[len(r)-4:])
}
