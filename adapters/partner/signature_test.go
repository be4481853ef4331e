package partner

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"
)

var (
	current  = []byte("current-secret")
	previous = []byte("previous-secret")
	t0       = time.Unix(1700000000, 0)
)

func TestSign_VerifyRoundTrip(t *testing.T) {
	body := []byte(`{"event":"message","id":"e1"}`)
	ts, sig := Sign(current, body, t0)
	if err := Verify([][]byte{current}, ts, sig, body, t0); err != nil {
		t.Fatalf("Verify: %v", err)
	}
}

func TestSign_MatchesHandComputedVector(t *testing.T) {
	secret, body := []byte("s3cr3t"), []byte(`{"a":1}`)
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(`1700000000.{"a":1}`))
	want := "sha256=" + hex.EncodeToString(h.Sum(nil))

	ts, sig := Sign(secret, body, t0)
	if ts != "1700000000" {
		t.Errorf("timestamp = %q, want 1700000000", ts)
	}
	if sig != want {
		t.Errorf("signature = %q, want %q", sig, want)
	}
	if sig != strings.ToLower(sig) || len(sig) != len("sha256=")+64 {
		t.Errorf("signature %q is not sha256= + 64 lowercase hex digits", sig)
	}
	if err := Verify([][]byte{secret}, "1700000000", want, body, t0); err != nil {
		t.Errorf("Verify(hand-computed) = %v", err)
	}
}

func TestVerify_RejectsTamperedBody(t *testing.T) {
	body := []byte(`{"a":1}`)
	ts, sig := Sign(current, body, t0)
	err := Verify([][]byte{current}, ts, sig, []byte(`{"a":2}`), t0)
	if !errors.Is(err, ErrBadSignature) {
		t.Fatalf("err = %v, want ErrBadSignature", err)
	}
}

func TestVerify_RejectsChangedTimestamp(t *testing.T) {
	body := []byte(`{"a":1}`)
	_, sig := Sign(current, body, t0)
	err := Verify([][]byte{current}, "1700000001", sig, body, t0)
	if !errors.Is(err, ErrBadSignature) {
		t.Fatalf("err = %v, want ErrBadSignature", err)
	}
}

func TestVerify_ReplayWindow(t *testing.T) {
	body := []byte(`{"a":1}`)
	ts, sig := Sign(current, body, t0)
	cases := []struct {
		name string
		now  time.Time
		want error
	}{
		{"4m59s old passes", t0.Add(4*time.Minute + 59*time.Second), nil},
		{"exactly 5m old passes", t0.Add(ReplayWindow), nil},
		{"5m01s old fails", t0.Add(5*time.Minute + time.Second), ErrStale},
		{"4m59s in the future passes", t0.Add(-(4*time.Minute + 59*time.Second)), nil},
		{"5m01s in the future fails", t0.Add(-(5*time.Minute + time.Second)), ErrStale},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Verify([][]byte{current}, ts, sig, body, c.now)
			if !errors.Is(err, c.want) || (c.want == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
}

func TestVerify_RejectsMalformedTimestamp(t *testing.T) {
	body := []byte(`{"a":1}`)
	_, sig := Sign(current, body, t0)
	for _, ts := range []string{"abc", "1700000000.5", "-1700000000", "+1700000000", "0x1", "1700000000000000000000"} {
		if err := Verify([][]byte{current}, ts, sig, body, t0); !errors.Is(err, ErrBadTimestamp) {
			t.Errorf("timestamp %q: err = %v, want ErrBadTimestamp", ts, err)
		}
	}
}

func TestVerify_MissingHeaders(t *testing.T) {
	body := []byte(`{"a":1}`)
	ts, sig := Sign(current, body, t0)
	for _, h := range [][2]string{{"", sig}, {ts, ""}, {"", ""}, {"  ", sig}, {ts, " "}} {
		if err := Verify([][]byte{current}, h[0], h[1], body, t0); !errors.Is(err, ErrMissingSignature) {
			t.Errorf("headers %q: err = %v, want ErrMissingSignature", h, err)
		}
	}
}

func TestVerify_RejectsWrongSchemeAndGarbage(t *testing.T) {
	body := []byte(`{"a":1}`)
	ts, sig := Sign(current, body, t0)
	digest := strings.TrimPrefix(sig, "sha256=")
	for _, s := range []string{
		"sha1=" + digest,
		"SHA256=" + digest,
		digest,
		"sha256=" + digest[:62],
		"sha256=" + digest + "00",
		"sha256=zz" + digest[2:],
		"sha256=",
		",,,",
	} {
		if err := Verify([][]byte{current}, ts, s, body, t0); !errors.Is(err, ErrBadSignature) {
			t.Errorf("signature %q: err = %v, want ErrBadSignature", s, err)
		}
	}
}

func TestVerify_AcceptsUppercaseHex(t *testing.T) {
	body := []byte(`{"a":1}`)
	ts, sig := Sign(current, body, t0)
	upper := "sha256=" + strings.ToUpper(strings.TrimPrefix(sig, "sha256="))
	if err := Verify([][]byte{current}, ts, upper, body, t0); err != nil {
		t.Fatalf("Verify(uppercase hex) = %v", err)
	}
}

func TestVerify_RotationAcceptsPreviousSecretWhileConfigured(t *testing.T) {
	body := []byte(`{"a":1}`)
	ts, sig := Sign(previous, body, t0)
	if err := Verify([][]byte{current, previous}, ts, sig, body, t0); err != nil {
		t.Errorf("both secrets configured: err = %v, want nil", err)
	}
	if err := Verify([][]byte{current}, ts, sig, body, t0); !errors.Is(err, ErrBadSignature) {
		t.Errorf("only current configured: err = %v, want ErrBadSignature", err)
	}
}

func TestVerify_EmptySecretNeverVerifies(t *testing.T) {
	body := []byte(`{"a":1}`)
	ts, sig := Sign(nil, body, t0)
	for _, secrets := range [][][]byte{nil, {}, {nil}, {[]byte{}}} {
		if err := Verify(secrets, ts, sig, body, t0); !errors.Is(err, ErrBadSignature) {
			t.Errorf("secrets %q: err = %v, want ErrBadSignature", secrets, err)
		}
	}
}

func TestVerify_SeveralValuesInHeader(t *testing.T) {
	body := []byte(`{"a":1}`)
	ts, sigNew := Sign(current, body, t0)
	_, sigOld := Sign(previous, body, t0)
	wrong := "sha256=" + strings.Repeat("0", 64)
	cases := []struct {
		name    string
		header  string
		secrets [][]byte
		want    error
	}{
		{"new then old, only new configured", sigNew + "," + sigOld, [][]byte{current}, nil},
		{"new then old, only old configured", sigNew + "," + sigOld, [][]byte{previous}, nil},
		{"wrong then match, with spaces", wrong + " , " + sigOld, [][]byte{current, previous}, nil},
		{"unknown scheme alongside", "sha512=abcd," + sigNew, [][]byte{current}, nil},
		{"none match", wrong + "," + sigOld, [][]byte{current}, ErrBadSignature},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Verify(c.secrets, ts, c.header, body, t0)
			if !errors.Is(err, c.want) || (c.want == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
}

func FuzzVerify(f *testing.F) {
	ts, sig := Sign([]byte("s3cr3t"), []byte(`{"a":1}`), t0)
	f.Add(ts, sig, []byte(`{"a":1}`))
	f.Add(ts, sig+","+sig, []byte(`{"a":2}`))
	f.Add("", "", []byte(nil))
	f.Add("abc", "sha1=00", []byte("x"))
	f.Add("99999999999999999999", "sha256=", []byte("x"))
	f.Add("1700000000", "sha256=ZZ,,sha256= ,", []byte{0xff, 0x00})
	f.Fuzz(func(t *testing.T, ts, sig string, body []byte) {
		err := Verify([][]byte{[]byte("s3cr3t"), nil}, ts, sig, body, t0)
		if err != nil && !errors.Is(err, ErrMissingSignature) && !errors.Is(err, ErrBadTimestamp) &&
			!errors.Is(err, ErrStale) && !errors.Is(err, ErrBadSignature) {
			t.Fatalf("unexpected error %v", err)
		}
		gotTS, gotSig := Sign([]byte("s3cr3t"), body, t0)
		if err := Verify([][]byte{[]byte("s3cr3t")}, gotTS, gotSig, body, t0); err != nil {
			t.Fatalf("round trip for body %q: %v", body, err)
		}
	})
}
