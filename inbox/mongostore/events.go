package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"hub/inbox"
)

type eventDoc struct {
	ID             string    `bson:"_id"`
	WorkspaceID    string    `bson:"workspaceId"`
	ConversationID string    `bson:"conversationId"`
	Type           string    `bson:"type"`
	Actor          authorDoc `bson:"actor"`
	From           string    `bson:"from"`
	To             string    `bson:"to"`
	Data           []pair    `bson:"data"`
	At             time.Time `bson:"at"`
}

func (d *eventDoc) toEvent() inbox.Event {
	return inbox.Event{
		ID:             d.ID,
		WorkspaceID:    d.WorkspaceID,
		ConversationID: d.ConversationID,
		Type:           inbox.EventType(d.Type),
		Actor:          inbox.Author{Type: inbox.AuthorType(d.Actor.Type), ID: d.Actor.ID, Name: d.Actor.Name},
		From:           inbox.Status(d.From),
		To:             inbox.Status(d.To),
		Data:           fromPairs(d.Data),
		At:             utc(d.At),
	}
}

// AppendEvent stores e. Events are never changed afterwards: reports are
// computed from them.
func (s *Store) AppendEvent(ctx context.Context, e *inbox.Event) error {
	_, err := s.events.InsertOne(ctx, newEventDoc(e))
	return s.fail("append event", err)
}

// AppendEvents stores the events with one InsertMany (ordered: a failure
// stops at the failing event and reports it).
func (s *Store) AppendEvents(ctx context.Context, events []*inbox.Event) error {
	if len(events) == 0 {
		return nil
	}
	docs := make([]eventDoc, len(events))
	for i, e := range events {
		docs[i] = newEventDoc(e)
	}
	_, err := s.events.InsertMany(ctx, docs)
	return s.fail("append events", err)
}

// newEventDoc fills in a missing id and time, like the SQLite store.
func newEventDoc(e *inbox.Event) eventDoc {
	if e.ID == "" {
		e.ID = inbox.NewID()
	}
	if e.At.IsZero() {
		e.At = time.Now().UTC()
	}
	return eventDoc{
		ID:             e.ID,
		WorkspaceID:    e.WorkspaceID,
		ConversationID: e.ConversationID,
		Type:           string(e.Type),
		Actor:          authorDoc{Type: string(e.Actor.Type), ID: e.Actor.ID, Name: e.Actor.Name},
		From:           string(e.From),
		To:             string(e.To),
		Data:           toPairs(e.Data),
		At:             e.At,
	}
}

// ListEvents returns the conversation's events in time order; the id
// breaks ties between events of the same millisecond.
func (s *Store) ListEvents(ctx context.Context, workspaceID, conversationID string) ([]inbox.Event, error) {
	filter := bson.D{
		{Key: "workspaceId", Value: workspaceID},
		{Key: "conversationId", Value: conversationID},
	}
	opts := options.Find().SetSort(bson.D{{Key: "at", Value: 1}, {Key: "_id", Value: 1}})
	out, err := findAll(ctx, s.events, filter, opts, (*eventDoc).toEvent)
	return out, s.fail("list events", err)
}
