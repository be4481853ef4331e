package hub_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"hub/inbox"
)

// TestBadInput_RejectedAndNothingStored sends each kind of bad request and
// checks the status, the error code, and that the conversation and its
// messages are exactly as before.
func TestBadInput_RejectedAndNothingStored(t *testing.T) {
	th := startHub(t)
	ctx := context.Background()
	admin := th.login("admin@hotel.test", adminPassword)
	v := th.newVisitor(th.demo.Channel.ID)
	convID := v.say("je voudrais parler à un conseiller").ConversationID
	th.action(admin, convID, "assign", nil)

	snapshot := func() (int64, int) {
		c, err := th.store.GetConversation(ctx, th.demo.Workspace.ID, convID)
		if err != nil {
			t.Fatal(err)
		}
		msgs, err := th.store.ListMessages(ctx, th.demo.Workspace.ID, convID, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		return c.Version, len(msgs)
	}
	version, count := snapshot()

	conv := "/api/v1/conversations/" + convID
	widget := "/api/v1/widget/" + th.demo.Channel.ID + "/messages"
	huge := `{"text":"` + strings.Repeat("a", 1<<20) + `"}`
	for _, tc := range []struct {
		name, method, path, token string
		body                      any
		status                    int
		code                      string
	}{
		{"malformed JSON", "POST", conv + "/messages", admin, `{"text": "hi"`, 400, "invalid_json"},
		{"wrong field type", "POST", conv + "/messages", admin, `{"text": 42}`, 400, "invalid_json"},
		{"unknown field", "POST", conv + "/messages", admin, `{"text": "hi", "colour": "red"}`, 400, "invalid_json"},
		{"two JSON values", "POST", conv + "/messages", admin, `{"text": "hi"} {"text": "again"}`, 400, "invalid_json"},
		{"empty text", "POST", conv + "/messages", admin, `{"text": "   "}`, 400, "text_required"},
		{"text over 10,000 characters", "POST", conv + "/messages", admin, map[string]string{"text": strings.Repeat("é", 10001)}, 400, "text_too_long"},
		{"body over 1 MiB", "POST", conv + "/messages", admin, huge, 413, "body_too_large"},
		{"unknown status filter", "GET", "/api/v1/conversations?status=archived", admin, nil, 400, "unknown_status"},
		{"malformed cursor", "GET", "/api/v1/conversations?cursor=%%%", admin, nil, 400, "invalid_cursor"},
		{"invite without agentId", "POST", conv + "/invite", admin, `{}`, 400, "invalid_agentId"},
		{"transfer to nobody", "POST", conv + "/transfer", admin, `{}`, 400, "invalid_agentId"},
		{"transfer to an unknown agent", "POST", conv + "/transfer", admin, `{"agentId": "nobody"}`, 400, "invalid_agentId"},
		{"snooze without a time", "POST", conv + "/snooze", admin, `{}`, 400, "invalid_until"},
		{"snooze in the past", "POST", conv + "/snooze", admin, `{"until": "2020-01-01T00:00:00Z"}`, 400, "invalid_until"},
		{"snooze over a year ahead", "POST", conv + "/snooze", admin, `{"until": "2099-01-01T00:00:00Z"}`, 400, "invalid_until"},
		{"snooze with a bad time", "POST", conv + "/snooze", admin, `{"until": "tomorrow"}`, 400, "invalid_json"},
		{"close with an unknown mood", "POST", conv + "/close", admin, `{"mood": "furious"}`, 400, "invalid_mood"},
		{"close with mood and unsure", "POST", conv + "/close", admin, `{"mood": "neutral", "unsure": true}`, 400, "invalid_mood"},
		{"unknown conversation", "POST", "/api/v1/conversations/nope/messages", admin, `{"text": "hi"}`, 404, "conversation_not_found"},
		{"widget: malformed JSON", "POST", widget, v.token, `{"text":`, 400, "invalid_json"},
		{"widget: empty text", "POST", widget, v.token, `{"text": ""}`, 400, "text_required"},
		{"widget: text too long", "POST", widget, v.token, map[string]string{"text": strings.Repeat("x", 10001)}, 400, "text_too_long"},
		{"widget: body over 1 MiB", "POST", widget, v.token, huge, 413, "body_too_large"},
		{"widget: no visitor token", "POST", widget, "", `{"text": "hi"}`, 401, "visitor_token_invalid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var r response
			if big, ok := tc.body.(string); ok && len(big) > 1<<20 {
				r = th.rawPost(tc.path, tc.token, []byte(big))
			} else {
				r = th.do(tc.method, tc.path, tc.token, tc.body)
			}
			if r.status != tc.status || r.errorCode() != tc.code {
				t.Fatalf("%d %s, want %d %s", r.status, r.body, tc.status, tc.code)
			}
			if v2, c2 := snapshot(); v2 != version || c2 != count {
				t.Fatalf("a rejected request changed data: version %d→%d, messages %d→%d", version, v2, count, c2)
			}
		})
	}
	if c, _ := th.store.GetConversation(ctx, th.demo.Workspace.ID, convID); c.Status != inbox.StatusOpen {
		t.Fatalf("status moved to %s", c.Status)
	}
	if r := th.do("POST", conv+"/messages", admin, `{"text":"fine"}`); r.status != http.StatusCreated {
		t.Fatalf("a good message after the bad ones: %d %s", r.status, r.body)
	}
}
