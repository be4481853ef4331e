package bot

import (
	"testing"

	"hub/inbox"
)

func TestDecide_FirstMessageCountsAsMissUnlessOnlyAGreeting(t *testing.T) {
	settings := inbox.WorkspaceSettings{BotGreeting: "Welcome!", BotHandoffAfter: 2}
	in := func(text string) Input {
		return Input{Conversation: inbox.Conversation{Status: inbox.StatusBot}, Message: inbox.Message{Text: text}, First: true, Settings: settings}
	}
	kinds := func(actions []Action) (out []ActionType) {
		for _, a := range actions {
			out = append(out, a.Type)
		}
		return out
	}
	if got := kinds(Decide(in("Bonjour !"))); len(got) != 1 || got[0] != ActionReply {
		t.Fatalf("a lone greeting: %v", got)
	}
	got := kinds(Decide(in("xyzzy plugh")))
	if len(got) != 3 || got[0] != ActionReply || got[1] != ActionMiss || got[2] != ActionReply {
		t.Fatalf("an unknown first question: %v, want greeting, miss, fallback", got)
	}
}
