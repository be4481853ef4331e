package partner

import "testing"

// FuzzInbound posts arbitrary signed bodies: never a panic, never a 5xx
// (the fake sink never fails), and a refused body delivers nothing.
func FuzzInbound(f *testing.F) {
	for _, seed := range []string{
		`{"eventId":"e1","type":"message","guest":{"id":"g1","name":"Ana"},"text":"hi"}`,
		`{"eventId":"e2","type":"message","guest":{"id":"g1"},"attachments":[{"url":"https://x/y.jpg","size":10}]}`,
		`{"eventId":"e3","type":"other"}`, `{"eventId":"","guest":{}}`, `[]`, `null`, `{`, ``,
		`{"eventId":"e4","type":"message","guest":{"id":"g"},"text":"x","sentAt":"yesterday"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		e := newEnv(t)
		status, resp := e.postSigned("p1", body)
		switch {
		case status == 200:
		case status >= 400 && status < 500:
			if n := len(e.sink.Inbounds()); n != 0 {
				t.Fatalf("refused (%d) but delivered %d messages", status, n)
			}
		default:
			t.Fatalf("body %q: status %d %s", body, status, resp)
		}
	})
}
