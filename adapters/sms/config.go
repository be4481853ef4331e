package sms

import (
	"errors"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"hub/adapters"
)

// Channel configuration keys.
const (
	keyAccountSID = "accountSid"
	keyAuthToken  = "authToken"
	keyFrom       = "from"
	keyServiceSID = "messagingServiceSid"
	keyAPIBaseURL = "apiBaseUrl"
	keyMPS        = "mps"
)

const (
	defaultMPS = 1.0
	maxMPS     = 1000.0
)

var (
	accountSIDPattern = regexp.MustCompile(`^AC[0-9a-fA-F]{32}$`)
	serviceSIDPattern = regexp.MustCompile(`^MG[0-9a-fA-F]{32}$`)
	authTokenPattern  = regexp.MustCompile(`^[A-Za-z0-9]{1,128}$`)
	e164Pattern       = regexp.MustCompile(`^\+[1-9][0-9]{4,14}$`)
)

// Fields lists the channel's configuration keys.
func (a *Adapter) Fields() []adapters.Field {
	return []adapters.Field{
		{Key: keyAccountSID, Label: "Account SID", Required: true},
		{Key: keyAuthToken, Label: "Auth Token", Required: true, Secret: true},
		{Key: keyFrom, Label: "Sender number (E.164, e.g. +33612345678)"},
		{Key: keyServiceSID, Label: "Messaging Service SID (instead of, or with, a sender number)"},
		{Key: keyAPIBaseURL, Label: "API base URL (optional: regional edge or test server)"},
		{Key: keyMPS, Label: "Messages per second (default 1)"},
	}
}

// ValidateConfig checks a complete channel configuration. It returns a
// *adapters.FieldError naming the first bad key, in Fields order, then
// unknown keys in name order. Empty optional values count as absent.
func (a *Adapter) ValidateConfig(cfg map[string]string) error {
	_, err := parseSettings(cfg)
	return err
}

// WebhookURLs are the addresses to paste into the Twilio console: the
// number's (or messaging service's) incoming message webhook, and the
// status callback (which Send also sets on every message).
func (a *Adapter) WebhookURLs(ch adapters.Channel) map[string]string {
	inbound := a.cfg.PublicURL + "/hooks/sms/" + url.PathEscape(ch.ID)
	return map[string]string{
		"inbound": inbound,
		"status":  inbound + "/status",
	}
}

// settings is a channel's parsed configuration.
type settings struct {
	accountSID string
	authToken  string
	from       string
	serviceSID string
	apiBase    *url.URL // nil: https://api.twilio.com
	mps        float64
}

// parseSettings validates cfg and returns it parsed.
func parseSettings(cfg map[string]string) (settings, error) {
	s := settings{
		accountSID: cfg[keyAccountSID],
		authToken:  cfg[keyAuthToken],
		from:       cfg[keyFrom],
		serviceSID: cfg[keyServiceSID],
		mps:        defaultMPS,
	}
	switch {
	case s.accountSID == "":
		return s, fieldErr(keyAccountSID, "is required")
	case !accountSIDPattern.MatchString(s.accountSID):
		return s, fieldErr(keyAccountSID, "must be AC followed by 32 hexadecimal characters")
	case s.authToken == "":
		return s, fieldErr(keyAuthToken, "is required")
	case !authTokenPattern.MatchString(s.authToken):
		return s, fieldErr(keyAuthToken, "must be letters and digits only")
	case s.from != "" && !e164Pattern.MatchString(s.from):
		return s, fieldErr(keyFrom, "must be a phone number in E.164 form, like +33612345678")
	case s.serviceSID != "" && !serviceSIDPattern.MatchString(s.serviceSID):
		return s, fieldErr(keyServiceSID, "must be MG followed by 32 hexadecimal characters")
	case s.from == "" && s.serviceSID == "":
		return s, fieldErr(keyFrom, "a sender number or a messagingServiceSid is required")
	}
	if raw := cfg[keyAPIBaseURL]; raw != "" {
		u, err := parseBaseURL(raw)
		if err != nil {
			return s, fieldErr(keyAPIBaseURL, err.Error())
		}
		s.apiBase = u
	}
	if raw := cfg[keyMPS]; raw != "" {
		mps, err := parseMPS(raw)
		if err != nil {
			return s, fieldErr(keyMPS, err.Error())
		}
		s.mps = mps
	}
	if key := firstUnknownKey(cfg); key != "" {
		return s, fieldErr(key, "unknown setting for an SMS channel")
	}
	return s, nil
}

func fieldErr(key, reason string) error {
	return &adapters.FieldError{Field: key, Reason: reason}
}

func firstUnknownKey(cfg map[string]string) string {
	var unknown []string
	for k := range cfg {
		switch k {
		case keyAccountSID, keyAuthToken, keyFrom, keyServiceSID, keyAPIBaseURL, keyMPS:
		default:
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return ""
	}
	return slices.Min(unknown)
}

// parseBaseURL accepts an absolute http(s) URL without credentials, query
// or fragment; a path prefix is kept (without its trailing slash).
func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" {
		return nil, errors.New("must be an absolute http or https URL")
	}
	if u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return nil, errors.New("must not carry credentials, a query or a fragment")
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// parseMPS accepts a positive number up to 1000; "" is the default.
func parseMPS(raw string) (float64, error) {
	if raw == "" {
		return defaultMPS, nil
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 || v > maxMPS {
		return 0, errors.New("must be a positive number of messages per second, at most 1000")
	}
	return v, nil
}
