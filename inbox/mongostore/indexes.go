package mongostore

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

type indexSpec struct {
	coll   string
	name   string
	keys   bson.D
	unique bool
}

// indexes lists every secondary index. Names are fixed so that creating
// them again at the next start is recognised as a no-op; changing the
// keys of an existing name needs a new name (MongoDB refuses a redefinition).
//
// Only plain and unique indexes appear: FerretDB v1 has no TTL, partial
// or text indexes and ignores sparse, so uniqueness that must skip empty
// values is arranged in the documents instead (see messages.go).
var indexes = []indexSpec{
	// Login looks agents up by email across workspaces; unique because
	// the email alone identifies the account.
	{collAgents, "emailLower_unique", bson.D{{Key: "emailLower", Value: 1}}, true},
	// Lists of a workspace's records come in creation order, like the
	// SQLite store's, so the admin pages look the same on both.
	{collAgents, "workspace_created", created(), false},
	{collTeams, "workspace_created", created(), false},
	{collChannels, "workspace_created", created(), false},
	// Polling adapters list their channels of every workspace.
	{collChannels, "type_created", bson.D{{Key: "type", Value: 1}, {Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}, false},
	{collBotRules, "workspace_created", created(), false},
	{collWorkspaces, "created", bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}, false},

	// One thread per contact and channel: ingest relies on it to never
	// open a second conversation for the same customer.
	{collConversations, "channel_contact_unique", bson.D{{Key: "channelId", Value: 1}, {Key: "contactId", Value: 1}}, true},
	// The inbox lists, newest activity first: All, one per tab, per
	// assignee (including "" for the unassigned queue) and per team.
	{collConversations, "workspace_activity", activity(), false},
	{collConversations, "workspace_status_activity", activity("status"), false},
	{collConversations, "workspace_assignee_activity", activity("assigneeId"), false},
	{collConversations, "workspace_team_activity", activity("teamId"), false},
	// The hold release is a range scan over this index, oldest due first.
	{collConversations, "status_snoozedUntil", bson.D{{Key: "status", Value: 1}, {Key: "snoozedUntil", Value: 1}}, false},
	// Each release batch reads back what it claimed by its token.
	{collConversations, "releaseToken", bson.D{{Key: "releaseToken", Value: 1}}, false},
	// Routing. A queue is the open conversations nobody holds of one team
	// ("" for the workspace's), oldest queuedAt first (ListQueue), an
	// equality prefix and then the order. Due offers are a range over the
	// offer's expiry across workspaces (ListOffersDue); conversations
	// without an offer have no expiry, which the range never matches.
	// Capacity counts (CountAssigned) use workspace_assignee_activity.
	{collConversations, "workspace_queue", bson.D{
		{Key: "workspaceId", Value: 1}, {Key: "status", Value: 1}, {Key: "assigneeId", Value: 1},
		{Key: "teamId", Value: 1}, {Key: "queuedAt", Value: 1}, {Key: "_id", Value: 1},
	}, false},
	{collConversations, "offer_expiresAt", bson.D{{Key: "offer.expiresAt", Value: 1}, {Key: "_id", Value: 1}}, false},

	// Provider retries of inbound messages are refused by this index; see
	// external_ids.go.
	{collMessages, "externalKey_unique", bson.D{{Key: "externalKey", Value: 1}}, true},
	// Delivery reports carrying only the provider's id find the newest
	// reply with it (FindSentMessageByExternalID); replies' ids repeat.
	{collMessages, "channel_externalId_id", bson.D{{Key: "channelId", Value: 1}, {Key: "externalId", Value: 1}, {Key: "_id", Value: 1}}, false},
	{collMessages, "workspace_conversation_id", bson.D{{Key: "workspaceId", Value: 1}, {Key: "conversationId", Value: 1}, {Key: "_id", Value: 1}}, false},
	// The outbox: queued outbound messages in id order, which puts each
	// conversation's head first (ClaimOutbound).
	{collMessages, "outbox_delivery_direction_id", bson.D{{Key: "delivery", Value: 1}, {Key: "direction", Value: 1}, {Key: "_id", Value: 1}}, false},

	{collEvents, "workspace_conversation_at", bson.D{{Key: "workspaceId", Value: 1}, {Key: "conversationId", Value: 1}, {Key: "at", Value: 1}, {Key: "_id", Value: 1}}, false},
	// Reports page through a workspace's events in a time range
	// (ListEventsBetween), in (at, _id) order.
	{collEvents, "workspace_at_id", bson.D{{Key: "workspaceId", Value: 1}, {Key: "at", Value: 1}, {Key: "_id", Value: 1}}, false},

	// Team chat is read per room in id order (ListChatMessages).
	{collChatMessages, "workspace_room_id", bson.D{{Key: "workspaceId", Value: 1}, {Key: "room", Value: 1}, {Key: "_id", Value: 1}}, false},
}

// activity is the key of a conversation list index: workspace, optional
// equality fields, then the list order.
func activity(fields ...string) bson.D {
	k := bson.D{{Key: "workspaceId", Value: 1}}
	for _, f := range fields {
		k = append(k, bson.E{Key: f, Value: 1})
	}
	return append(k, bson.E{Key: "lastMessageAt", Value: -1}, bson.E{Key: "_id", Value: -1})
}

func created() bson.D {
	return bson.D{{Key: "workspaceId", Value: 1}, {Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}
}

func (s *Store) ensureIndexes(ctx context.Context) error {
	byColl := map[string][]mongo.IndexModel{}
	var order []string
	for _, ix := range indexes {
		if _, ok := byColl[ix.coll]; !ok {
			order = append(order, ix.coll)
		}
		opts := options.Index().SetName(ix.name)
		if ix.unique {
			opts.SetUnique(true)
		}
		byColl[ix.coll] = append(byColl[ix.coll], mongo.IndexModel{Keys: ix.keys, Options: opts})
	}
	// One index per call: FerretDB v1.24 panics on a createIndexes batch
	// in which two or more indexes already exist (every restart), and may
	// drop a new one from such a batch. Creating an existing index alone is
	// a no-op on both servers.
	for _, coll := range order {
		for _, model := range byColl[coll] {
			if _, err := s.db.Collection(coll).Indexes().CreateOne(ctx, model); err != nil {
				return fmt.Errorf("mongostore: create indexes on %s: %w", coll, err)
			}
		}
	}
	return nil
}
