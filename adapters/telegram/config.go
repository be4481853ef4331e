package telegram

import (
	"errors"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"hub/adapters"
)

// Channel configuration keys.
const (
	keyBotToken      = "botToken"
	keyWebhookSecret = "webhookSecret"
	keyAPIBaseURL    = "apiBaseUrl"
)

// DefaultAPIBaseURL is the Bot API's address when a channel sets none.
const DefaultAPIBaseURL = "https://api.telegram.org"

var (
	tokenPattern  = regexp.MustCompile(`^[0-9]+:[A-Za-z0-9_-]{20,}$`)
	secretPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
)

// Fields lists the channel's configuration keys.
func (a *Adapter) Fields() []adapters.Field {
	return []adapters.Field{
		{Key: keyBotToken, Label: "Bot token (from @BotFather)", Required: true, Secret: true},
		{Key: keyWebhookSecret, Label: "Webhook secret", Secret: true, Generated: true},
		{Key: keyAPIBaseURL, Label: "Bot API base URL (default https://api.telegram.org)"},
	}
}

// ValidateConfig checks a complete configuration, the generated
// webhookSecret included. It returns a *adapters.FieldError naming the
// first bad key, in the order of Fields, then unknown keys in name order.
func (a *Adapter) ValidateConfig(cfg map[string]string) error {
	token := cfg[keyBotToken]
	switch {
	case token == "":
		return &adapters.FieldError{Field: keyBotToken, Reason: "is required"}
	case !tokenPattern.MatchString(token):
		return &adapters.FieldError{Field: keyBotToken, Reason: "is not a bot token (digits, a colon, then at least 20 of A-Z a-z 0-9 _ -)"}
	}
	if !secretPattern.MatchString(cfg[keyWebhookSecret]) {
		return &adapters.FieldError{Field: keyWebhookSecret, Reason: "must be 1 to 256 of A-Z a-z 0-9 _ -"}
	}
	if base, ok := cfg[keyAPIBaseURL]; ok && base != "" {
		if err := checkBaseURL(base); err != nil {
			return &adapters.FieldError{Field: keyAPIBaseURL, Reason: err.Error()}
		}
	}
	var unknown []string
	for k := range cfg {
		if k != keyBotToken && k != keyWebhookSecret && k != keyAPIBaseURL {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return &adapters.FieldError{Field: unknown[0], Reason: "is not a Telegram setting"}
	}
	return nil
}

// checkBaseURL accepts an absolute http(s) URL without query or fragment.
func checkBaseURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("must be an absolute http(s) URL")
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return errors.New("must not carry credentials, a query or a fragment")
	}
	return nil
}

// WebhookURLs gives the address Telegram posts updates to.
func (a *Adapter) WebhookURLs(ch adapters.Channel) map[string]string {
	return map[string]string{"inbound": a.webhookURL(ch.ID)}
}

func (a *Adapter) webhookURL(channelID string) string {
	return a.publicURL + "/hooks/telegram/" + url.PathEscape(channelID)
}

// errNoSecret is a channel without webhookSecret in webhook mode.
var errNoSecret = errors.New("telegram: the channel has no webhookSecret; save the channel again to generate one")

// settings is a channel's configuration, checked.
type settings struct {
	channelID string
	token     string
	secret    string
	base      string // no trailing slash
}

// botKey identifies the bot a cached BotAPI or a poller talks to.
func (s settings) botKey() string { return s.token + "\x00" + s.base }

// parseSettings reads ch's configuration. Errors never quote the token.
func parseSettings(ch adapters.Channel) (settings, error) {
	if ch.Type != ChannelType {
		return settings{}, errors.New("telegram: not a telegram channel")
	}
	s := settings{
		channelID: ch.ID,
		token:     ch.Config[keyBotToken],
		secret:    ch.Config[keyWebhookSecret],
		base:      strings.TrimRight(ch.Config[keyAPIBaseURL], "/"),
	}
	if !tokenPattern.MatchString(s.token) {
		return settings{}, errors.New("telegram: the channel's bot token is missing or malformed")
	}
	if s.base == "" {
		s.base = DefaultAPIBaseURL
	} else if err := checkBaseURL(s.base); err != nil {
		return settings{}, errors.New("telegram: apiBaseUrl " + err.Error())
	}
	return s, nil
}
