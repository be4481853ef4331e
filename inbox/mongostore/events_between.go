package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"hub/inbox"
)

// defaultEventsPage is the page size of ListEventsBetween when the caller
// gives none.
const defaultEventsPage = 1000

// ListEventsBetween returns the workspace's events with from <= At < to in
// (at, _id) order, a range walk of the workspace_at_id index.
//
// afterID is the last event of the previous page: the page starts strictly
// after that event's (at, _id), so events sharing a millisecond are neither
// repeated nor skipped across pages. An afterID that is not an event of the
// workspace is ErrNotFound rather than a silent restart from the beginning.
// At most limit events are returned (0 or less: 1000).
func (s *Store) ListEventsBetween(ctx context.Context, workspaceID string, from, to time.Time, afterID string, limit int) ([]inbox.Event, error) {
	if limit <= 0 {
		limit = defaultEventsPage
	}
	// BSON datetimes are whole milliseconds: rounding both bounds up keeps
	// "from <= At" and "At < to" exact for bounds finer than that (the
	// driver would round them down).
	filter := bson.D{
		{Key: "workspaceId", Value: workspaceID},
		{Key: "at", Value: bson.D{{Key: "$gte", Value: ceilMilli(from)}, {Key: "$lt", Value: ceilMilli(to)}}},
	}
	if afterID != "" {
		// Events never change, so the position read here is still the
		// event's when the page is read.
		var after struct {
			At time.Time `bson:"at"`
		}
		err := s.events.FindOne(ctx, byID(workspaceID, afterID),
			options.FindOne().SetProjection(bson.D{{Key: "at", Value: 1}})).Decode(&after)
		if err != nil {
			return nil, s.fail("list events between", err)
		}
		filter = append(filter, bson.E{Key: "$or", Value: bson.A{
			bson.D{{Key: "at", Value: bson.D{{Key: "$gt", Value: after.At}}}},
			bson.D{{Key: "at", Value: after.At}, {Key: "_id", Value: bson.D{{Key: "$gt", Value: afterID}}}},
		}})
	}
	opts := options.Find().
		SetSort(bson.D{{Key: "at", Value: 1}, {Key: "_id", Value: 1}}).
		SetLimit(int64(limit))
	out, err := findAll(ctx, s.events, filter, opts, (*eventDoc).toEvent)
	return out, s.fail("list events between", err)
}

// ceilMilli rounds t up to a whole millisecond.
func ceilMilli(t time.Time) time.Time {
	v := time.UnixMilli(t.UnixMilli()).UTC()
	if t.After(v) {
		v = v.Add(time.Millisecond)
	}
	return v
}
