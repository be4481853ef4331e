package partner

import (
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"

	"hub/adapters"
)

// Channel configuration keys.
const (
	keyURL            = "url"
	keySecret         = "secret"
	keyPreviousSecret = "previousSecret"
)

const (
	minSecretChars = 16
	maxSecretChars = 512
	maxURLBytes    = 2048
)

// Fields lists the channel settings: url, secret and previousSecret.
func (a *Adapter) Fields() []adapters.Field {
	return []adapters.Field{
		{Key: keyURL, Label: "Reply URL (where the hub posts replies)", Required: true},
		{Key: keySecret, Label: "Signing secret (shared with the partner)", Required: true, Secret: true},
		{Key: keyPreviousSecret, Label: "Previous signing secret (during rotation)", Secret: true},
	}
}

// ValidateConfig checks a complete channel configuration. It returns a
// *adapters.FieldError naming the first bad key: url, secret,
// previousSecret, then unknown keys in sorted order. Reasons never repeat a
// value.
func (a *Adapter) ValidateConfig(cfg map[string]string) error {
	if err := checkURL(cfg[keyURL]); err != nil {
		return &adapters.FieldError{Field: keyURL, Reason: err.Error()}
	}
	if reason := checkSecret(cfg[keySecret], true); reason != "" {
		return &adapters.FieldError{Field: keySecret, Reason: reason}
	}
	if reason := checkSecret(cfg[keyPreviousSecret], false); reason != "" {
		return &adapters.FieldError{Field: keyPreviousSecret, Reason: reason}
	}
	var unknown []string
	for k := range cfg {
		switch k {
		case keyURL, keySecret, keyPreviousSecret:
		default:
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return &adapters.FieldError{Field: unknown[0], Reason: "unknown setting for a partner channel"}
	}
	return nil
}

// WebhookURLs returns the address partners post guest messages to.
func (a *Adapter) WebhookURLs(ch adapters.Channel) map[string]string {
	return map[string]string{"inbound": a.publicBase() + "/hooks/partner/" + url.PathEscape(ch.ID)}
}

// reasonError is a validation reason that carries no value.
type reasonError string

func (r reasonError) Error() string { return string(r) }

// checkURL accepts an absolute http or https URL with a host.
func checkURL(v string) error {
	switch {
	case v == "":
		return reasonError("required")
	case strings.TrimSpace(v) != v:
		return reasonError("must not start or end with spaces")
	case len(v) > maxURLBytes:
		return reasonError("longer than 2048 bytes")
	}
	if !isHTTPURL(v) {
		return reasonError("must be an absolute http or https URL")
	}
	return nil
}

// isHTTPURL reports whether v parses as an absolute http(s) URL with a host.
func isHTTPURL(v string) bool {
	u, err := url.Parse(v)
	if err != nil || u.Host == "" || u.Hostname() == "" {
		return false
	}
	return u.Scheme == "http" || u.Scheme == "https"
}

// checkSecret returns why v is not an acceptable secret, or "".
func checkSecret(v string, required bool) string {
	if v == "" {
		if required {
			return "required"
		}
		return ""
	}
	if strings.TrimSpace(v) != v {
		return "must not start or end with spaces"
	}
	n := utf8.RuneCountInString(v)
	if n < minSecretChars {
		return "must be at least 16 characters"
	}
	if n > maxSecretChars {
		return "must be at most 512 characters"
	}
	return ""
}
