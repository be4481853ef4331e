package telegram

import (
	"strings"
	"testing"
)

func TestSplitText_CountsUTF16Units(t *testing.T) {
	t.Parallel()
	// 3000 emoji are 6000 UTF-16 units (surrogate pairs) but 3000 runes:
	// one message by rune count, two by Telegram's.
	text := strings.Repeat("😀", 3000)
	parts := splitText(text, maxTextUnits)
	if len(parts) != 2 || utf16Len(parts[0]) != 4096 || parts[0]+parts[1] != text {
		t.Fatalf("%d parts, first %d units", len(parts), utf16Len(parts[0]))
	}
}

func TestSplitText_PrefersNewlineThenSpace(t *testing.T) {
	t.Parallel()
	para := strings.Repeat("a", 60) + "\n" + strings.Repeat("b", 30) + " " + strings.Repeat("c", 20)
	if got := splitText(para, 100); len(got) != 2 || got[0] != strings.Repeat("a", 60) {
		t.Fatalf("newline in the second half not preferred: %q", got)
	}
	early := strings.Repeat("a", 10) + "\n" + strings.Repeat("b", 70) + " " + strings.Repeat("c", 30)
	if got := splitText(early, 100); len(got) != 2 || !strings.HasSuffix(got[0], "b") || got[1] != strings.Repeat("c", 30) {
		t.Fatalf("a late space should beat an early newline: %q", got)
	}
	if got := splitText(strings.Repeat("x", 250), 100); len(got) != 3 || len(got[0]) != 100 {
		t.Fatalf("hard cut: %q", got)
	}
	if got := splitText("short", 100); len(got) != 1 || got[0] != "short" {
		t.Fatalf("short text: %q", got)
	}
	if got := splitText(strings.Repeat("a", 100)+"\n\n\n   ", 100); len(got) != 1 {
		t.Fatalf("white space only part kept: %q", got)
	}
}

func TestCutUTF8(t *testing.T) {
	t.Parallel()
	if got := cutUTF8("ab€", 4); got != "ab" {
		t.Fatalf("got %q", got)
	}
	if got := cutUTF8("abc", 64); got != "abc" {
		t.Fatalf("got %q", got)
	}
}
