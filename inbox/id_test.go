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
