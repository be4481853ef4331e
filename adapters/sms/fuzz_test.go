package sms

import (
	"net/url"
	"testing"
)

// FuzzInbound posts arbitrary correctly signed forms to the inbound
// webhook: never a panic, never a 5xx (the fake sink never fails).
func FuzzInbound(f *testing.F) {
	f.Add(inboundForm().Encode())
	f.Add("MessageSid=SM1&AccountSid=" + testAccount + "&From=%2B33611111111&Body=hi&NumMedia=1&MediaUrl0=https%3A%2F%2Fapi.twilio.com%2Fx")
	f.Add("NumMedia=99&MessageSid=SM2")
	f.Add("Body=%ZZ")
	f.Add("")
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return // not a form: nothing Twilio could have signed
		}
		e := newEnv(t, Config{PublicURL: testPublicURL})
		r := e.post("/hooks/sms/ch1", form.Encode(), sign(testPublicURL+"/hooks/sms/ch1", form))
		if r.status != 200 && (r.status < 400 || r.status >= 500) {
			t.Fatalf("form %q: status %d %s", body, r.status, r.body)
		}
	})
}
