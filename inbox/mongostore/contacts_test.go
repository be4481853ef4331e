package mongostore

import (
	"errors"
	"testing"
	"time"

	"hub/inbox"
)

// A creator that dies between claiming the identity and writing the
// contact must not leave the identity unusable.
func TestFindOrCreateContact_FinishesHalfCreatedContact(t *testing.T) {
	s := openTest(t)
	ctx := t.Context()
	id := inbox.Identity{ChannelID: "ch1", Handle: "+15550100"}
	claim := identityDoc{
		ID: key("w1", id.ChannelID, id.Handle), WorkspaceID: "w1", ChannelID: id.ChannelID, Handle: id.Handle,
		ContactID: inbox.NewID(), CreatedAt: time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC),
	}
	if _, err := s.identities.InsertOne(ctx, claim); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindContact(ctx, "w1", id); !errors.Is(err, inbox.ErrNotFound) {
		t.Fatalf("FindContact of a half-created contact: err = %v, want ErrNotFound", err)
	}
	c, err := s.FindOrCreateContact(ctx, "w1", id, "Alice")
	if err != nil {
		t.Fatal(err)
	}
	if c.ID != claim.ContactID || c.Name != "Alice" || !c.CreatedAt.Equal(claim.CreatedAt) {
		t.Errorf("got %+v, want the claimed contact %s created at %v", c, claim.ContactID, claim.CreatedAt)
	}
}

func TestKey_PartsCannotForgeACollision(t *testing.T) {
	pairs := [][2][]string{
		{{"a:b", "c"}, {"a", "b:c"}},
		{{"1:a", "b"}, {"1", "a:b"}},
		{{"ab", ""}, {"a", "b"}},
	}
	for _, p := range pairs {
		if key(p[0]...) == key(p[1]...) {
			t.Errorf("key(%q) == key(%q) = %q", p[0], p[1], key(p[0]...))
		}
	}
	if k := placeholderKey("m1"); k == placeholderKey("m2") || k == key("ch", "") {
		t.Errorf("placeholder keys collide: %q", k)
	}
}
