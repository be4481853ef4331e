package webchat

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"hub/adapters"
)

// incoming is a message a visitor writes, over REST or the socket.
type incoming struct {
	Text     string `json:"text"`
	ClientID string `json:"clientId"`
	Name     string `json:"name"`
}

func errInvalidJSON() error {
	return adapters.Errorf(http.StatusBadRequest, "invalid_json", "request body is not valid JSON of the expected shape")
}

// decodeJSON unmarshals body into v; malformed JSON and wrong field types
// are both 400 invalid_json. An empty body decodes as {} when allowEmpty.
func decodeJSON(body []byte, v any, allowEmpty bool) error {
	if allowEmpty && len(strings.TrimSpace(string(body))) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		return errInvalidJSON()
	}
	return nil
}

// normalize trims and validates a visitor's message. A text with nothing
// a person can see (only blanks, control or format characters such as a
// zero-width space) would be an empty bubble in the inbox, so it is
// text_required. Control characters in the name (a line break, a NUL)
// become spaces, as in page titles: the name is shown on one line.
func (a *Adapter) normalize(in incoming) (incoming, error) {
	in.Text = strings.TrimSpace(in.Text)
	in.Name = strings.TrimSpace(strings.Map(controlToSpace, in.Name))
	if strings.IndexFunc(in.Text, visible) < 0 {
		return in, adapters.Errorf(http.StatusBadRequest, "text_required", "text is required")
	}
	if n := utf8.RuneCountInString(in.Text); n > a.cfg.MaxTextChars {
		return in, adapters.Errorf(http.StatusBadRequest, "text_too_long", "text is %d characters, at most %d allowed", n, a.cfg.MaxTextChars)
	}
	if !validClientID(in.ClientID) {
		return in, adapters.Errorf(http.StatusBadRequest, "invalid_client_id", "clientId must be at most %d of A-Z a-z 0-9 _ -", maxClientIDLen)
	}
	if utf8.RuneCountInString(in.Name) > maxNameChars {
		return in, adapters.Errorf(http.StatusBadRequest, "name_too_long", "name is longer than %d characters", maxNameChars)
	}
	return in, nil
}

// visible reports whether r shows: not a blank, a control character or
// an invisible format character (Unicode Cf: zero-width space, BOM, bidi
// marks).
func visible(r rune) bool {
	return !unicode.IsSpace(r) && !unicode.IsControl(r) && !unicode.Is(unicode.Cf, r)
}

// controlToSpace maps control characters and invalid UTF-8 to a space.
func controlToSpace(r rune) rune {
	if unicode.IsControl(r) || r == utf8.RuneError {
		return ' '
	}
	return r
}

// validClientID accepts "" (none given) or 1..64 of [A-Za-z0-9_-].
func validClientID(id string) bool {
	if len(id) > maxClientIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == '-':
		default:
			return false
		}
	}
	return true
}

// externalID is the Inbound's dedupe key. It is scoped to the visitor so
// that two visitors whose widgets pick the same clientId never collide (and
// one visitor can never learn of another's message through a duplicate).
func externalID(visitorID, clientID string) string {
	if clientID == "" {
		clientID = "r" + randomHex(16)
	}
	return "w:" + visitorID + ":" + clientID
}

// deliver validates in and hands it to the sink. It returns the stored
// message as the widget sees it and whether it had been received before.
// Validation failures are *adapters.HTTPError; sink errors pass unchanged.
func (a *Adapter) deliver(ctx context.Context, channelID, visitorID string, in incoming) (Message, bool, error) {
	in, err := a.normalize(in)
	if err != nil {
		return Message{}, false, err
	}
	if ok, wait := a.messages.allow(channelID+"/"+visitorID, time.Now()); !ok {
		return Message{}, false, errRateLimited(wait)
	}
	now := a.now()
	receipt, err := a.sink.Deliver(ctx, adapters.Inbound{
		ChannelID:     channelID,
		ExternalID:    externalID(visitorID, in.ClientID),
		ContactHandle: visitorID,
		ContactName:   in.Name,
		Text:          in.Text,
		ReceivedAt:    now,
	})
	if err != nil {
		a.log.Debug("webchat: deliver failed", "channel", channelID, "visitor", visitorID, "err", err)
		return Message{}, false, err
	}
	msg := Message{
		ID:             receipt.MessageID,
		ConversationID: receipt.ConversationID,
		Direction:      "in",
		Author:         Author{Type: "contact", Name: in.Name},
		Text:           in.Text,
		Attachments:    []adapters.Attachment{},
		CreatedAt:      now,
	}
	if !receipt.Duplicate {
		a.log.Debug("webchat: message received", "channel", channelID, "visitor", visitorID, "message", receipt.MessageID)
	}
	return msg, receipt.Duplicate, nil
}
