package sms

import (
	"net/url"
	"testing"
)

const (
	testToken = "12345"
	testURL   = "https://mycompany.com/myapp.php?foo=1&bar=2"
)

func firstVector() url.Values {
	return url.Values{
		"CallSid": {"CA1234567890ABCDE"},
		"Caller":  {"+14158675309"},
		"Digits":  {"1234"},
		"From":    {"+14158675309"},
		"To":      {"+18005551212"},
	}
}

func secondVector() url.Values {
	return url.Values{
		"Sid":        {"CA123"},
		"SidAccount": {"AC123"},
		"Digits":     {"5678", "1234", "1234"},
	}
}

const (
	firstSig  = "RSOYDt4T1cUTdK1PDd93/VVr8B8="
	secondSig = "IK+Dwps556ElfBT0I3Rgjkr1wJU="
)

func TestTwilioVectors(t *testing.T) {
	cases := []struct {
		name   string
		params url.Values
		want   string
	}{
		{"single values", firstVector(), firstSig},
		{"repeated Digits", secondVector(), secondSig},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Signature(testToken, testURL, c.params); got != c.want {
				t.Fatalf("Signature = %q, want %q", got, c.want)
			}
			if !ValidSignature(testToken, testURL, c.params, c.want) {
				t.Fatal("ValidSignature rejected Twilio's vector")
			}
		})
	}
}

func TestSignatureDoesNotReorderCallerValues(t *testing.T) {
	p := secondVector()
	Signature(testToken, testURL, p)
	if got := p["Digits"]; got[0] != "5678" || got[1] != "1234" || got[2] != "1234" {
		t.Fatalf("params modified: %v", got)
	}
}

func TestTamperedRejected(t *testing.T) {
	cases := map[string]func() (token, u string, p url.Values, sig string){
		"value": func() (string, string, url.Values, string) {
			p := firstVector()
			p.Set("Digits", "1235")
			return testToken, testURL, p, firstSig
		},
		"param name": func() (string, string, url.Values, string) {
			p := firstVector()
			p["Digit"] = p["Digits"]
			delete(p, "Digits")
			return testToken, testURL, p, firstSig
		},
		"removed param": func() (string, string, url.Values, string) {
			p := firstVector()
			delete(p, "To")
			return testToken, testURL, p, firstSig
		},
		"extra repeated value": func() (string, string, url.Values, string) {
			p := secondVector()
			p.Add("Digits", "9999")
			return testToken, testURL, p, secondSig
		},
		"url query": func() (string, string, url.Values, string) {
			return testToken, "https://mycompany.com/myapp.php?foo=1&bar=3", firstVector(), firstSig
		},
		"url host": func() (string, string, url.Values, string) {
			return testToken, "https://evil.com/myapp.php?foo=1&bar=2", firstVector(), firstSig
		},
		"url scheme": func() (string, string, url.Values, string) {
			return testToken, "http://mycompany.com/myapp.php?foo=1&bar=2", firstVector(), firstSig
		},
		"other port": func() (string, string, url.Values, string) {
			return testToken, "https://mycompany.com:8443/myapp.php?foo=1&bar=2", firstVector(), firstSig
		},
		"token": func() (string, string, url.Values, string) {
			return "12346", testURL, firstVector(), firstSig
		},
		"signature": func() (string, string, url.Values, string) {
			return testToken, testURL, firstVector(), "RSOYDt4T1cUTdK1PDd93/VVr8B8"
		},
		"empty signature": func() (string, string, url.Values, string) {
			return testToken, testURL, firstVector(), ""
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			token, u, p, sig := c()
			if ValidSignature(token, u, p, sig) {
				t.Fatal("tampered request accepted")
			}
		})
	}
}

func TestEmptySignatureRejectedEvenForEmptyInput(t *testing.T) {
	if ValidSignature("", "", nil, "") {
		t.Fatal("empty signature accepted")
	}
}

func TestDefaultPortVariants(t *testing.T) {
	const withPort = "https://mycompany.com:443/myapp.php?foo=1&bar=2"
	p := firstVector()

	// Twilio signed the URL without the port; we see it with :443.
	if !ValidSignature(testToken, withPort, p, firstSig) {
		t.Fatal("signature over URL without port rejected when URL has :443")
	}
	// Twilio signed the URL with :443; we see it without.
	sigWithPort := Signature(testToken, withPort, p)
	if sigWithPort == firstSig {
		t.Fatal("port should change the signed string")
	}
	if !ValidSignature(testToken, testURL, p, sigWithPort) {
		t.Fatal("signature over URL with :443 rejected when URL has no port")
	}

	// Same for plain http and :80.
	const httpURL = "http://mycompany.com/myapp.php?foo=1&bar=2"
	const httpPort = "http://mycompany.com:80/myapp.php?foo=1&bar=2"
	if !ValidSignature(testToken, httpPort, p, Signature(testToken, httpURL, p)) {
		t.Fatal("http :80 variant rejected (added)")
	}
	if !ValidSignature(testToken, httpURL, p, Signature(testToken, httpPort, p)) {
		t.Fatal("http :80 variant rejected (removed)")
	}
	// :80 is not the default for https.
	if ValidSignature(testToken, "https://mycompany.com:80/myapp.php?foo=1&bar=2", p, firstSig) {
		t.Fatal("https :80 accepted as default port")
	}
}

func TestURLVariants(t *testing.T) {
	cases := map[string][]string{
		"https://a.example/x?q=1":     {"https://a.example/x?q=1", "https://a.example:443/x?q=1"},
		"https://a.example:443/x?q=1": {"https://a.example:443/x?q=1", "https://a.example/x?q=1"},
		"http://a.example/":           {"http://a.example/", "http://a.example:80/"},
		"https://[::1]:443/x":         {"https://[::1]:443/x", "https://[::1]/x"},
		"https://[::1]/x":             {"https://[::1]/x", "https://[::1]:443/x"},
		"https://a.example:8443/x":    {"https://a.example:8443/x"},
		"ftp://a.example/x":           {"ftp://a.example/x"},
		"not a url %zz":               {"not a url %zz"},
	}
	for in, want := range cases {
		got := urlVariants(in)
		if len(got) != len(want) {
			t.Errorf("urlVariants(%q) = %q, want %q", in, got, want)
			continue
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("urlVariants(%q) = %q, want %q", in, got, want)
				break
			}
		}
	}
}

func TestNewParamChangesSignature(t *testing.T) {
	p := firstVector()
	p.Set("SomeFieldTwilioAddsLater", "x")
	got := Signature(testToken, testURL, p)
	if got == firstSig {
		t.Fatal("unknown param did not change the signature")
	}
	if ValidSignature(testToken, testURL, p, firstSig) {
		t.Fatal("old signature accepted after an unknown param was added")
	}
	if !ValidSignature(testToken, testURL, p, got) {
		t.Fatal("signature over the unknown param rejected")
	}
}

func FuzzValidSignature(f *testing.F) {
	f.Add(testToken, testURL, "Digits", "1234", firstSig)
	f.Add(testToken, "https://mycompany.com:443/myapp.php?foo=1&bar=2", "Sid", "CA123", secondSig)
	f.Add("", "", "", "", "")
	f.Add("t", "http://[::1]:80/%zz", "a\x00", "\xff", "not base64!")
	f.Add("t", "https://[fe80::1%25en0]:443/", "k", "v", "AAAA")
	f.Fuzz(func(t *testing.T, token, u, name, value, sig string) {
		p := url.Values{name: {value, value}}
		good := Signature(token, u, p)
		if !ValidSignature(token, u, p, good) {
			t.Fatalf("own signature rejected: token=%q url=%q", token, u)
		}
		if ValidSignature(token, u, p, "") {
			t.Fatal("empty signature accepted")
		}
		if ValidSignature(token, u, p, sig) && sig != good {
			// Only another URL variant's signature may match.
			matched := false
			for _, v := range urlVariants(u) {
				matched = matched || Signature(token, v, p) == sig
			}
			if !matched {
				t.Fatalf("foreign signature %q accepted", sig)
			}
		}
	})
}
