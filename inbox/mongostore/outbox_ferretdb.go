package mongostore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"hub/inbox"
)

// The outbox paths below run on FerretDB only (Store.lockWrites), for the
// reason conversations have locks (locks.go): FerretDB v1 reads, filters
// and rewrites a document in separate steps, so two "queued and not
// leased" updates of one message can both match, and two callbacks can
// both pass "still below d". Every writer of a message's delivery or lease
// (ClaimOutbound, RetryOutbound, AdvanceDelivery) therefore holds the
// message's lock, a document of the lock collection whose _id is
// messageLockPrefix and the message id, and checks and writes the message
// by _id while holding it.

// messageLockPrefix keeps message locks apart from conversation locks,
// whose _id is the bare conversation id.
const messageLockPrefix = "message:"

// lockMessage waits for the message's lock and returns its release; see
// lockConversation, which it shares the lock collection and limits with.
func (s *Store) lockMessage(ctx context.Context, id string) (unlock func(), err error) {
	return s.lockConversation(ctx, messageLockPrefix+id)
}

// messageByID reads the message by _id and reports one of another
// workspace as missing (mongo.ErrNoDocuments, which fail turns into
// ErrNotFound).
func (s *Store) messageByID(ctx context.Context, workspaceID, id string) (messageDoc, error) {
	var d messageDoc
	if err := s.messages.FindOne(ctx, idFilter(id)).Decode(&d); err != nil {
		return messageDoc{}, err
	}
	if d.WorkspaceID != workspaceID {
		return messageDoc{}, mongo.ErrNoDocuments
	}
	return d, nil
}

// claimLocked is the second step of ClaimOutbound on FerretDB: lock the
// candidates, read each by _id, and lease by _id those still queued, due
// and not leased. The lock makes the read and the write one step, so what
// it returns is what it stored.
//
// ids holds every due head found, most overdue first. It locks them in
// order, as many at a time as it still needs, and goes on with the next
// ones in place of any found locked (another caller is claiming it, or a
// callback is advancing it) or no longer claimable: racing callers share
// the heads out, and none is given to two.
func (s *Store) claimLocked(ctx context.Context, ids []string, now, leaseUntil time.Time, limit int) ([]inbox.Message, error) {
	var held []string
	defer func() { s.unlockConversations(ctx, held) }()

	lease := bson.D{{Key: "$set", Value: bson.D{{Key: "leaseUntil", Value: leaseUntil}}}}
	var (
		out    []inbox.Message
		models []mongo.WriteModel
	)
	for len(ids) > 0 && len(out) < limit {
		n := min(limit-len(out), len(ids))
		keys := make([]string, n)
		for i, id := range ids[:n] {
			keys[i] = messageLockPrefix + id
		}
		ids = ids[n:]
		locked, err := s.tryLockConversations(ctx, keys)
		if err != nil {
			return nil, err
		}
		held = append(held, locked...)
		mine := make([]string, len(locked))
		for i, k := range locked {
			mine[i] = strings.TrimPrefix(k, messageLockPrefix)
		}
		docs, err := docsByID[messageDoc](ctx, s.messages, mine)
		if err != nil {
			return nil, s.fail("read outbound", err)
		}
		for _, d := range docs {
			if !d.claimable(now) {
				continue // sent, rescheduled or claimed since it was found
			}
			models = append(models, mongo.NewUpdateOneModel().SetFilter(idFilter(d.ID)).SetUpdate(lease))
			d.LeaseUntil = leaseUntil
			out = append(out, d.toMessage())
		}
	}
	var matched int64
	for chunk := range slices.Chunk(models, ferretUpdateChunk) {
		res, err := s.messages.BulkWrite(ctx, chunk)
		if err != nil {
			// Those leased before the error go out once the lease ends.
			return nil, s.fail("claim outbound", err)
		}
		matched += res.MatchedCount
	}
	if matched != int64(len(models)) {
		return nil, fmt.Errorf("mongostore: claim outbound: %d of %d locked messages matched", matched, len(models))
	}
	return out, nil
}
