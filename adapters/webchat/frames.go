package webchat

import (
	"encoding/json"

	"hub/adapters"
)

// Server → client frames:
//
//	{"type":"message","message":{Message}}                   a new message (agent, bot, or the visitor's other tab)
//	{"type":"ack","clientId":"...","message":{Message}}      the visitor's message is stored
//	{"type":"error","code":"...","message":"...","clientId":"..."}
//	{"type":"pong"}
//
// Client → server frames:
//
//	{"type":"message","text":"...","clientId":"...","name":"..."}
//	{"type":"page","url":"https://...","title":"..."}          the page the visitor is on (no answer unless invalid)
//	{"type":"ping"}

// clientFrame is any frame the widget sends.
type clientFrame struct {
	Type string `json:"type"`
	incoming
	// URL and Title come with "page" frames.
	URL   string `json:"url"`
	Title string `json:"title"`
}

type messageOut struct {
	Type     string  `json:"type"`
	ClientID string  `json:"clientId,omitempty"`
	Message  Message `json:"message"`
}

type errorOut struct {
	Type     string `json:"type"`
	Code     string `json:"code"`
	Message  string `json:"message"`
	ClientID string `json:"clientId,omitempty"`
}

var pongFrame = []byte(`{"type":"pong"}`)

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		// Only plain structs of strings, times and slices are marshalled
		// here; this cannot happen.
		return []byte(`{"type":"error","code":"internal_error","message":"frame encoding failed"}`)
	}
	return b
}

func messageFrame(m Message) []byte {
	return mustJSON(messageOut{Type: "message", Message: normalizeMessage(m)})
}

func ackFrame(clientID string, m Message) []byte {
	return mustJSON(messageOut{Type: "ack", ClientID: clientID, Message: normalizeMessage(m)})
}

func errorFrame(code, msg, clientID string) []byte {
	return mustJSON(errorOut{Type: "error", Code: code, Message: msg, ClientID: clientID})
}

// normalizeMessage makes attachments [] rather than null in JSON.
func normalizeMessage(m Message) Message {
	if m.Attachments == nil {
		m.Attachments = []adapters.Attachment{}
	}
	return m
}
