package telegram

import "testing"

// FuzzWebhook posts arbitrary bodies, with the right secret, to the
// webhook: the adapter must never panic and must answer 200 (handled or
// ignored) or a 4xx, never a 5xx (the fake sink never fails).
func FuzzWebhook(f *testing.F) {
	for _, seed := range []string{
		`{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"},"text":"hi"}}`,
		`{"update_id":2,"message":{"message_id":2,"date":1,"chat":{"id":5,"type":"private"},"caption":"c","photo":[{"file_id":"a","width":1,"height":1}]}}`,
		`{"update_id":3,"callback_query":{"id":"q","from":{"id":5},"data":"2"}}`,
		`{"update_id":4,"edited_message":{}}`,
		`{"update_id":"x"}`, `[]`, `null`, `{`, ``, `{"update_id":5,"message":{"chat":{"id":"not a number"}}}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		e := newEnv(t, httpsHub)
		status, resp := e.post("tg1", testSecret, body)
		if status != 200 && (status < 400 || status >= 500) {
			t.Fatalf("body %q: status %d %s", body, status, resp)
		}
	})
}
