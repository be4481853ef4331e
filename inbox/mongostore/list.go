package mongostore

import (
	"context"
	"regexp"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"hub/inbox"
)

// defaultPageSize is the page size when the filter leaves it at zero.
const defaultPageSize = 50

// ListConversations returns one page of the workspace's conversations,
// newest activity first (lastMessageAt, then _id, both descending, which
// the workspace_*_activity indexes serve), and the cursor of the next page.
//
// Paging is by key, not by offset: the cursor holds the last row's
// (lastMessageAt, id) and the next page starts strictly after it, so rows
// arriving meanwhile neither repeat nor skip rows. One extra row is read
// to learn whether a next page exists.
func (s *Store) ListConversations(ctx context.Context, f inbox.ConversationFilter) ([]inbox.Conversation, string, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = defaultPageSize
	}
	filter := bson.D{{Key: "workspaceId", Value: f.WorkspaceID}}
	if len(f.Statuses) > 0 {
		statuses := make([]string, len(f.Statuses))
		for i, st := range f.Statuses {
			statuses[i] = string(st)
		}
		filter = append(filter, bson.E{Key: "status", Value: bson.D{{Key: "$in", Value: statuses}}})
	}
	switch f.AssigneeID {
	case "":
	case inbox.Unassigned:
		filter = append(filter, bson.E{Key: "assigneeId", Value: ""})
	default:
		filter = append(filter, bson.E{Key: "assigneeId", Value: f.AssigneeID})
	}
	if f.TeamID != "" {
		filter = append(filter, bson.E{Key: "teamId", Value: f.TeamID})
	}
	// Both the search and the cursor are $or clauses; $and keeps them
	// apart (a document cannot hold two $or keys).
	var and bson.A
	if f.Query != "" {
		and = append(and, bson.D{{Key: "$or", Value: searchClauses(f.Query)}})
	}
	if f.Cursor != "" {
		cur, err := inbox.DecodeCursor(f.Cursor)
		if err != nil {
			return nil, "", err
		}
		and = append(and, bson.D{{Key: "$or", Value: bson.A{
			bson.D{{Key: "lastMessageAt", Value: bson.D{{Key: "$lt", Value: cur.LastMessageAt}}}},
			bson.D{
				{Key: "lastMessageAt", Value: cur.LastMessageAt},
				{Key: "_id", Value: bson.D{{Key: "$lt", Value: cur.ID}}},
			},
		}}})
	}
	if len(and) > 0 {
		filter = append(filter, bson.E{Key: "$and", Value: and})
	}

	opts := options.Find().
		SetSort(bson.D{{Key: "lastMessageAt", Value: -1}, {Key: "_id", Value: -1}}).
		SetLimit(int64(limit) + 1)
	page, err := findAll(ctx, s.conversations, filter, opts, (*conversationDoc).toConversation)
	if err != nil {
		return nil, "", s.fail("list conversations", err)
	}
	if len(page) <= limit {
		return page, "", nil
	}
	page = page[:limit]
	return page, inbox.EncodeCursor(&page[limit-1]), nil
}

// searchClauses match q as literal text, ignoring case, in the contact's
// name, handle or the last message. QuoteMeta makes "a.b" or "+44" mean
// themselves rather than patterns.
func searchClauses(q string) bson.A {
	re := bson.D{{Key: "$regex", Value: regexp.QuoteMeta(q)}, {Key: "$options", Value: "i"}}
	return bson.A{
		bson.D{{Key: "contactName", Value: re}},
		bson.D{{Key: "contactHandle", Value: re}},
		bson.D{{Key: "lastMessageText", Value: re}},
	}
}
