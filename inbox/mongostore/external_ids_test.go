package mongostore

import (
	"errors"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"hub/inbox"
)

// TestExternalIDs_LegacyReplyKeyGivenUp runs on both write paths (see
// TestOutbox_BothWritePathsAndLegacyMessages): a reply stored when
// replies' provider ids were unique holds the key key(channel, id). It
// must not shadow or block a customer's message with the same id, stays
// findable as a sent message, and inbound ids still dedupe.
func TestExternalIDs_LegacyReplyKeyGivenUp(t *testing.T) {
	for _, locked := range []bool{false, true} {
		name := map[bool]string{false: "ConditionalUpdates", true: "Locked"}[locked]
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			s := openTest(t)
			s.lockWrites = locked

			legacy := outboxMsg("c1", "reply stored by the old release")
			legacy.Delivery, legacy.ExternalID = inbox.DeliverySent, "7"
			d := toMessageDoc(legacy)
			if d.ExternalKey != placeholderKey(legacy.ID) {
				t.Fatalf("a reply's key is %q, want its placeholder", d.ExternalKey)
			}
			d.ExternalKey = key("ch1", "7") // as AdvanceDelivery used to set it
			if _, err := s.messages.InsertOne(ctx, d); err != nil {
				t.Fatal(err)
			}
			if _, err := s.FindMessageByExternalID(ctx, "ch1", "7"); !errors.Is(err, inbox.ErrNotFound) {
				t.Fatalf("FindMessageByExternalID found the old reply: err = %v", err)
			}

			in := &inbox.Message{ID: inbox.NewID(), WorkspaceID: "w1", ConversationID: "c1", ChannelID: "ch1",
				ExternalID: "7", Direction: inbox.DirectionIn, Text: "update 7",
				CreatedAt: time.Date(2026, 3, 14, 9, 1, 0, 0, time.UTC)}
			if err := s.AddMessage(ctx, in); err != nil {
				t.Fatalf("inbound with the old reply's id: %v", err)
			}
			retry := *in
			retry.ID = inbox.NewID()
			if err := s.AddMessage(ctx, &retry); !errors.Is(err, inbox.ErrDuplicate) {
				t.Fatalf("inbound retry: err = %v, want ErrDuplicate", err)
			}
			if got, err := s.FindMessageByExternalID(ctx, "ch1", "7"); err != nil || got.ID != in.ID {
				t.Fatalf("FindMessageByExternalID: %+v, %v; want the inbound %s", got, err, in.ID)
			}
			if got, err := s.FindSentMessageByExternalID(ctx, "ch1", "7"); err != nil || got.ID != legacy.ID {
				t.Fatalf("FindSentMessageByExternalID: %+v, %v; want the old reply %s", got, err, legacy.ID)
			}
			var stored bson.M
			if err := s.messages.FindOne(ctx, idFilter(legacy.ID)).Decode(&stored); err != nil {
				t.Fatal(err)
			}
			if stored["externalKey"] != placeholderKey(legacy.ID) || stored["externalId"] != "7" {
				t.Errorf("old reply after the repair: externalKey %v, externalId %v", stored["externalKey"], stored["externalId"])
			}
		})
	}
}
