package inbox

import (
	"testing"
	"time"
)

func TestNewID_SortsInCreationOrder(t *testing.T) {
	at := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	prev := newIDAt(at)
	for i := 0; i < 10000; i++ {
		next := newIDAt(at.Add(time.Duration(i/100) * time.Millisecond))
		if len(next) != 20 || next <= prev {
			t.Fatalf("id %d: %q after %q", i, next, prev)
		}
		prev = next
	}
	if later := newIDAt(at.Add(time.Hour)); later <= prev {
		t.Fatalf("an id an hour later sorts first: %q <= %q", later, prev)
	}
}

func TestNewID_DecodesToItsTimeAndCounter(t *testing.T) {
	at := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	for range 1000 {
		id := newIDAt(at)
		ms, rx, ok := decodeID(id)
		// The generator never goes back in time (other tests may have
		// moved it ahead), so the time read back is at least at's.
		if !ok || ms < uint64(at.UnixMilli()) || encodeID(ms, rx) != id {
			t.Fatalf("%q decodes to %d/%d (ok %v)", id, ms, rx, ok)
		}
		if rx&replyFlag != 0 {
			t.Fatalf("NewID %q uses the reply ids' bit", id)
		}
	}
	for _, bad := range []string{"", "m1", "0123456789abcdefghi", "0123456789abcdefghiu", "0123456789ABCDEFGHJK"} {
		if _, _, ok := decodeID(bad); ok {
			t.Errorf("decodeID(%q) accepted", bad)
		}
	}
}

// TestReplyID_StableOrderedAndApart: the bot's reply ids are a function of
// the customer message and the index, sort right after the message and in
// reply order, and never equal an id NewID hands out in the same
// millisecond (that would make a real message look like an already stored
// reply).
func TestReplyID_StableOrderedAndApart(t *testing.T) {
	at := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	seen := map[string]bool{}
	var burst []string
	for range 200 {
		burst = append(burst, newIDAt(at))
	}
	for _, id := range burst {
		seen[id] = true
	}
	for _, in := range burst {
		ms, _, _ := decodeID(in)
		next := encodeID(ms+1, 0) // the first id of the next millisecond
		prev := in
		for i := range 6 {
			r := ReplyID(in, i)
			if r != ReplyID(in, i) {
				t.Fatalf("ReplyID(%q, %d) is not stable", in, i)
			}
			if len(r) != 20 || r <= prev {
				t.Fatalf("ReplyID(%q, %d) = %q, not after %q", in, i, r, prev)
			}
			if r >= next {
				t.Fatalf("ReplyID(%q, %d) = %q sorts after an id of the next millisecond %q", in, i, r, next)
			}
			if seen[r] {
				t.Fatalf("ReplyID(%q, %d) = %q collides", in, i, r)
			}
			seen[r] = true
			prev = r
		}
	}
	// Ids that are not NewID's still get distinct, well-formed reply ids.
	a, b := ReplyID("m1", 0), ReplyID("m1", 1)
	if len(a) != 20 || a == b || a != ReplyID("m1", 0) || ReplyID("m1", MaxReplyIndex+1) == a {
		t.Fatalf("fallback ids: %q %q", a, b)
	}
	if _, _, ok := decodeID(a); !ok {
		t.Fatalf("fallback id %q is not of NewID's shape", a)
	}
}
