package mongostore

import (
	"context"
	"math"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"hub/inbox"
)

// releaseAttempts bounds how often one ReleaseDueHolds call looks again
// after every candidate it found was taken by a concurrent caller: cron
// should not stop early only because another instance ran at the same
// second, nor spin while that instance works.
const releaseAttempts = 3

// ReleaseDueHolds moves up to limit due holds to open, across
// workspaces, returning each released conversation to exactly one caller.
//
// Without transactions the release is a claim in three steps:
//  1. find the ids of up to limit due holds, oldest due first (an index
//     range on status, snoozedUntil);
//  2. one UpdateMany, filtered again on pending and due, opens them and
//     stamps a fresh random token. Each document is updated atomically,
//     so of concurrent callers that found the same ids only one matches
//     each document; the others' filters no longer hold;
//  3. read back the documents carrying our token: exactly those this call
//     released, as stored.
//
// Every overdue hold is found however late the job runs, because the
// query is "due at or before now", not a time window. On FerretDB, whose
// UpdateMany is not atomic per document, steps 2 and 3 differ: the found
// ids are locked (locks.go) and each is re-checked and opened by _id
// (releaseHoldsLocked), and step 1 finds up to twice limit candidates.
func (s *Store) ReleaseDueHolds(ctx context.Context, now time.Time, limit int) ([]inbox.Conversation, error) {
	if limit <= 0 {
		return nil, nil
	}
	fetch := limit
	if s.lockWrites && limit <= math.MaxInt/2 {
		// FerretDB reads every conversation to find due holds, however
		// few are asked for; twice as many candidates cost nothing more
		// and stand in for those a concurrent caller has taken, so that
		// racing callers share the due holds out rather than one of them
		// scanning again (measured with two: 9666 and 334 of 10,000
		// released without the spares, in 119 s; 5003 and 4997 with
		// them, in 99 s).
		fetch = 2 * limit
	}
	for range releaseAttempts {
		ids, err := s.dueHolds(ctx, now, fetch)
		if err != nil || len(ids) == 0 {
			return nil, err
		}
		released, err := s.releaseHolds(ctx, ids, now, limit)
		if err != nil || len(released) > 0 {
			return released, err
		}
	}
	return nil, nil
}

// dueHolds returns the ids of up to limit due holds, oldest due first.
func (s *Store) dueHolds(ctx context.Context, now time.Time, limit int) ([]string, error) {
	opts := options.Find().
		SetSort(bson.D{{Key: "snoozedUntil", Value: 1}, {Key: "_id", Value: 1}}).
		SetLimit(int64(limit)).
		SetProjection(bson.D{{Key: "_id", Value: 1}})
	type idDoc struct {
		ID string `bson:"_id"`
	}
	ids, err := findAll(ctx, s.conversations, dueFilter(now), opts, func(d *idDoc) string { return d.ID })
	if err != nil {
		return nil, s.fail("find due holds", err)
	}
	return ids, nil
}

func dueFilter(now time.Time) bson.D {
	return bson.D{
		{Key: "status", Value: string(inbox.StatusPending)},
		{Key: "snoozedUntil", Value: bson.D{{Key: "$lte", Value: now}}},
	}
}

// releaseHolds opens those of ids that are still due, at most limit, and
// returns them.
func (s *Store) releaseHolds(ctx context.Context, ids []string, now time.Time, limit int) ([]inbox.Conversation, error) {
	if s.lockWrites {
		return s.releaseHoldsLocked(ctx, ids, now, limit)
	}
	token := newToken()
	filter := append(bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}}, dueFilter(now)...)
	res, err := s.conversations.UpdateMany(ctx, filter, releaseUpdate(now, token))
	if err != nil {
		return nil, s.fail("release holds", err)
	}
	if res.MatchedCount == 0 {
		return nil, nil
	}
	out, err := findAll(ctx, s.conversations, bson.D{{Key: "releaseToken", Value: token}}, options.Find(),
		(*conversationDoc).toConversation)
	if err != nil {
		// The holds are open but this caller cannot say which: the
		// conversations are not lost (they show in the Open tab), only
		// their release events.
		return nil, s.fail("read released holds", err)
	}
	sortLike(out, ids)
	return out, nil
}

// releaseUpdate opens a released hold: status open, no snooze, the next
// version, updated at now, stamped with the releasing call's token.
func releaseUpdate(now time.Time, token string) bson.D {
	return bson.D{
		{Key: "$set", Value: bson.D{
			{Key: "status", Value: string(inbox.StatusOpen)},
			{Key: "updatedAt", Value: now},
			{Key: "releaseToken", Value: token},
		}},
		{Key: "$unset", Value: bson.D{{Key: "snoozedUntil", Value: ""}}},
		{Key: "$inc", Value: bson.D{{Key: "version", Value: 1}}},
	}
}
