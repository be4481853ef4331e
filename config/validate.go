package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
)

// minSecretKeyLen is the shortest SecretKey accepted when one is set: a
// shorter HMAC key could be guessed.
const minSecretKeyLen = 16

// Validate checks every setting and returns all problems at once, joined
// with errors.Join; each message starts with the YAML key and the
// environment variable of the setting, such as
// "sessionTtl (HUB_SESSION_TTL): must be greater than 0".
func (c Config) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", keyFor(field).keyName(), fmt.Sprintf(format, args...)))
	}

	if c.Addr == "" {
		bad("Addr", "must not be empty")
	} else if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		bad("Addr", "%q is not host:port (for example \":8080\" or \"127.0.0.1:8080\")", c.Addr)
	}
	if strings.TrimSpace(c.DataDir) == "" {
		bad("DataDir", "must not be empty")
	}
	if c.MongoURI != "" {
		if !strings.HasPrefix(c.MongoURI, "mongodb://") && !strings.HasPrefix(c.MongoURI, "mongodb+srv://") {
			// The URI may hold a password; show only its redacted form.
			bad("MongoURI", "%q must start with mongodb:// or mongodb+srv://", redactURI(c.MongoURI))
		}
		if c.MongoDatabase == "" {
			bad("MongoDatabase", "must not be empty when mongoUri is set")
		}
	}
	if c.PublicURL != "" {
		if msg := checkPublicURL(c.PublicURL); msg != "" {
			bad("PublicURL", "%q %s", c.PublicURL, msg)
		}
	}
	if c.AdminEmail != "" && !strings.Contains(c.AdminEmail, "@") {
		bad("AdminEmail", "%q is not an e-mail address", c.AdminEmail)
	}
	if c.SecretKey != "" && len(c.SecretKey) < minSecretKeyLen {
		bad("SecretKey", "must be at least %d characters when set (leave it empty to have one generated)", minSecretKeyLen)
	}
	for _, d := range []struct {
		field string
		value time.Duration
	}{
		{"SessionTTL", c.SessionTTL},
		{"HoldReleaseInterval", c.HoldReleaseInterval},
		{"ShutdownTimeout", c.ShutdownTimeout},
	} {
		if d.value <= 0 {
			bad(d.field, "must be greater than 0, got %s", d.value)
		}
	}
	if c.BotHandoffAfter < 1 {
		bad("BotHandoffAfter", "must be at least 1, got %d", c.BotHandoffAfter)
	}
	if c.MaxBodyBytes < 1024 {
		bad("MaxBodyBytes", "must be at least 1024, got %d", c.MaxBodyBytes)
	}
	if c.MaxMessageChars < 1 {
		bad("MaxMessageChars", "must be at least 1, got %d", c.MaxMessageChars)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("LogLevel", "%q is not one of debug, info, warn, error", c.LogLevel)
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		bad("LogFormat", "%q is not one of text, json", c.LogFormat)
	}
	return errors.Join(errs...)
}

// checkPublicURL returns what is wrong with a PublicURL, or "".
func checkPublicURL(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return "is not a URL"
	case u.Scheme != "http" && u.Scheme != "https":
		return "must be an absolute http:// or https:// URL"
	case u.Host == "":
		return "has no host"
	case u.User != nil:
		return "must not contain a user name or password"
	case u.RawQuery != "" || u.Fragment != "":
		return "must not have a query or fragment"
	}
	return ""
}

// keyFor returns the Table row of a Config field. It panics on a field with
// no row, which the tests rule out.
func keyFor(field string) Key {
	for _, k := range keys {
		if k.Field == field {
			return k
		}
	}
	panic("config: no key for field " + field)
}
