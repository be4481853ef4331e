package mongostore

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"hub/inbox"
)

// The outbox is the set of queued outbound messages. A conversation's
// messages go out one at a time and in order: only the head of its queue
// (its oldest queued outbound message, ids growing with time) may be
// claimed, and it stays the head, leased or not, until its delivery moves
// on from queued.

// claimScan bounds how many queued messages one ClaimOutbound reads to
// find the conversations' heads, oldest first. The outbox is normally a
// handful of messages; should more than claimScan pile up, the oldest are
// served first and the rest once those have gone out (or failed for good).
const claimScan = 1000

// outboxEntry is the part of a queued message that finding heads needs.
type outboxEntry struct {
	ID             string    `bson:"_id"`
	ConversationID string    `bson:"conversationId"`
	NextAttemptAt  time.Time `bson:"nextAttemptAt"`
	LeaseUntil     time.Time `bson:"leaseUntil"`
}

func outboxFilter() bson.D {
	return bson.D{
		{Key: "delivery", Value: string(inbox.DeliveryQueued)},
		{Key: "direction", Value: string(inbox.DirectionOut)},
	}
}

// notAfter matches a time field at or before t, or missing (a message
// stored before the outbox fields existed is due and not leased).
func notAfter(t time.Time) bson.D {
	return bson.D{{Key: "$not", Value: bson.D{{Key: "$gt", Value: t}}}}
}

// claimable is the filter of a message ClaimOutbound may lease at now;
// (*messageDoc).claimable is the same test in Go.
func claimable(id string, now time.Time) bson.D {
	return append(idFilter(id), append(outboxFilter(),
		bson.E{Key: "nextAttemptAt", Value: notAfter(now)},
		bson.E{Key: "leaseUntil", Value: notAfter(now)},
	)...)
}

func (d *messageDoc) claimable(now time.Time) bool {
	return d.Delivery == string(inbox.DeliveryQueued) && d.Direction == string(inbox.DirectionOut) &&
		!d.NextAttemptAt.After(now) && !d.LeaseUntil.After(now)
}

// ms is t as BSON keeps it: whole milliseconds, UTC. Values compared in
// Go with stored ones, and returned as stored, go through it.
func ms(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return time.UnixMilli(t.UnixMilli()).UTC()
}

// ClaimOutbound leases up to limit due heads of conversation queues,
// across workspaces, most overdue first.
//
// Without transactions it is a claim in two steps: find the heads that
// are due and not leased (dueHeads), then lease each with one atomic
// update that re-checks queued, due and not leased, so of concurrent
// callers that found the same head exactly one matches. On FerretDB,
// whose filtered updates are not atomic, the second step runs under the
// messages' locks instead (claimLocked).
func (s *Store) ClaimOutbound(ctx context.Context, now, leaseUntil time.Time, limit int) ([]inbox.Message, error) {
	if limit <= 0 {
		return nil, nil
	}
	now, leaseUntil = ms(now), ms(leaseUntil)
	ids, err := s.dueHeads(ctx, now)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	if s.lockWrites {
		return s.claimLocked(ctx, ids, now, leaseUntil, limit)
	}
	lease := bson.D{{Key: "$set", Value: bson.D{{Key: "leaseUntil", Value: leaseUntil}}}}
	opts := options.FindOneAndUpdate().SetReturnDocument(options.After)
	var out []inbox.Message
	for _, id := range ids {
		if len(out) == limit {
			break
		}
		var d messageDoc
		err := s.messages.FindOneAndUpdate(ctx, claimable(id, now), lease, opts).Decode(&d)
		switch {
		case errors.Is(err, mongo.ErrNoDocuments):
			continue // sent, rescheduled or claimed since it was found
		case err != nil:
			// Those leased so far go out once their lease ends.
			return nil, s.fail("claim outbound", err)
		}
		out = append(out, d.toMessage())
	}
	return out, nil
}

// dueHeads returns the ids of the conversations' heads that are due and
// not leased at now, most overdue first (next attempt, then id).
func (s *Store) dueHeads(ctx context.Context, now time.Time) ([]string, error) {
	opts := options.Find().
		SetSort(bson.D{{Key: "_id", Value: 1}}).
		SetLimit(claimScan).
		SetProjection(bson.D{
			{Key: "conversationId", Value: 1},
			{Key: "nextAttemptAt", Value: 1},
			{Key: "leaseUntil", Value: 1},
		})
	queued, err := findAll(ctx, s.messages, outboxFilter(), opts, func(e *outboxEntry) outboxEntry { return *e })
	if err != nil {
		return nil, s.fail("find outbound", err)
	}
	seen := make(map[string]bool)
	var heads []outboxEntry
	for _, e := range queued {
		if seen[e.ConversationID] {
			continue // behind its conversation's head
		}
		seen[e.ConversationID] = true
		if !e.NextAttemptAt.After(now) && !e.LeaseUntil.After(now) {
			heads = append(heads, e)
		}
	}
	slices.SortFunc(heads, func(a, b outboxEntry) int {
		if c := a.NextAttemptAt.Compare(b.NextAttemptAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	out := make([]string, len(heads))
	for i, h := range heads {
		out[i] = h.ID
	}
	return out, nil
}

// RetryOutbound records a failed attempt on a queued message and ends its
// lease: ErrConflict once the message is no longer queued.
func (s *Store) RetryOutbound(ctx context.Context, workspaceID, messageID string, attempts int, next time.Time, errText string) error {
	cond := bson.D{{Key: "delivery", Value: string(inbox.DeliveryQueued)}}
	queued := func(d *messageDoc) bool { return d.Delivery == string(inbox.DeliveryQueued) }
	update := func(*messageDoc) bson.D {
		return bson.D{{Key: "$set", Value: bson.D{
			{Key: "attempts", Value: attempts},
			{Key: "nextAttemptAt", Value: next},
			{Key: "deliveryError", Value: errText},
			{Key: "leaseUntil", Value: time.Time{}},
		}}}
	}
	ok, err := s.updateMessage(ctx, "retry outbound", workspaceID, messageID, cond, queued, update)
	if err == nil && !ok {
		err = inbox.ErrConflict
	}
	return err
}

// AdvanceDelivery moves the delivery state forward to d: the update
// matches only while the stored state is one of d.Below(), so of racing
// callbacks the highest state stays. The provider id goes in externalId
// only: replies' ids are not unique (external_ids.go).
func (s *Store) AdvanceDelivery(ctx context.Context, workspaceID, messageID string, d inbox.Delivery, errText, externalID string) (bool, error) {
	below := d.Below()
	states := make([]string, len(below))
	for i, b := range below {
		states[i] = string(b)
	}
	cond := bson.D{{Key: "delivery", Value: bson.D{{Key: "$in", Value: states}}}}
	behind := func(m *messageDoc) bool { return slices.Contains(states, m.Delivery) }
	update := func(*messageDoc) bson.D {
		set := bson.D{
			{Key: "delivery", Value: string(d)},
			{Key: "deliveryError", Value: errText},
			{Key: "leaseUntil", Value: time.Time{}},
		}
		if externalID != "" {
			set = append(set, bson.E{Key: "externalId", Value: externalID})
		}
		return bson.D{{Key: "$set", Value: set}}
	}
	return s.updateMessage(ctx, "advance delivery", workspaceID, messageID, cond, behind, update)
}

// updateMessage applies update to the workspace's message if it meets a
// condition, atomically, and reports whether it did; a message the
// workspace does not have is ErrNotFound. The condition is given twice:
// as cond, a filter, and as ok, the same test in Go.
//
// On MongoDB the message is read first, for its existence and the fields
// that never change (update may need the channel), then one update
// filtered on cond decides. On FerretDB, whose filtered updates are not
// atomic, the message is read by _id, checked with ok and written by _id
// under its lock, which every such writer of a message holds.
func (s *Store) updateMessage(ctx context.Context, op, workspaceID, id string, cond bson.D,
	ok func(*messageDoc) bool, update func(*messageDoc) bson.D) (bool, error) {
	if s.lockWrites {
		unlock, err := s.lockMessage(ctx, id)
		if err != nil {
			return false, err
		}
		defer unlock()
		d, err := s.messageByID(ctx, workspaceID, id)
		if err != nil {
			return false, s.fail(op, err)
		}
		if !ok(&d) {
			return false, nil
		}
		res, err := s.messages.UpdateOne(ctx, idFilter(id), update(&d))
		if err != nil {
			return false, s.fail(op, err)
		}
		return res.MatchedCount == 1, nil
	}
	var d messageDoc
	fixed := options.FindOne().SetProjection(bson.D{{Key: "channelId", Value: 1}})
	if err := s.messages.FindOne(ctx, byID(workspaceID, id), fixed).Decode(&d); err != nil {
		return false, s.fail(op, err)
	}
	res, err := s.messages.UpdateOne(ctx, append(byID(workspaceID, id), cond...), update(&d))
	if err != nil {
		return false, s.fail(op, err)
	}
	return res.MatchedCount == 1, nil
}
