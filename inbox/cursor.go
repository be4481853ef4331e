package inbox

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// ConversationCursor marks a position in a conversation list ordered by
// LastMessageAt descending, then ID descending. Stores encode the last row
// of a page with EncodeCursor and resume after it.
type ConversationCursor struct {
	LastMessageAt time.Time
	ID            string
}

// EncodeCursor returns the opaque cursor that resumes after c.
func EncodeCursor(c *Conversation) string {
	raw := strconv.FormatInt(c.LastMessageAt.UnixNano(), 10) + "|" + c.ID
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// DecodeCursor parses a cursor made by EncodeCursor.
func DecodeCursor(s string) (ConversationCursor, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return ConversationCursor{}, Invalid("cursor", "malformed cursor")
	}
	ns, id, ok := strings.Cut(string(raw), "|")
	n, err := strconv.ParseInt(ns, 10, 64)
	if !ok || err != nil || id == "" {
		return ConversationCursor{}, Invalid("cursor", "malformed cursor")
	}
	return ConversationCursor{LastMessageAt: time.Unix(0, n).UTC(), ID: id}, nil
}
