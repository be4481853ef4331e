package mongostore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"hub/inbox"
)

// The conversation paths below run on FerretDB only (Store.lockWrites).
//
// FerretDB v1 (SQLite) evaluates filters in Go over a full scan of the
// collection, except a filter that is exactly {_id: <string>}, which it
// turns into an SQL lookup by _id. The hot single-conversation operations
// therefore look the document up by _id alone and apply in Go the
// conditions that MongoDB evaluates in the filter:
//
//   - the workspace: a conversation of another workspace is ErrNotFound,
//     exactly as when the filter carries workspaceId;
//   - the version (UpdateConversation) and "pending and due"
//     (ReleaseDueHolds): checked after reading under the conversation's
//     lock (locks.go). Every writer of an existing conversation holds that
//     lock on FerretDB, so nothing changes the document between the read,
//     the check and the write by _id.
//
// Results and errors are the same as on MongoDB, where every query keeps
// workspaceId and the conditions in its filter.
//
// SQLite serves FerretDB's lookup by _id from an index only when one is
// on the very expression FerretDB queries, which its own unique _id index
// is not; the tests add one (internal/ferrettest.IndexIDs). Without it
// the lookup scans in SQLite, still far cheaper than FerretDB decoding
// every document to filter it in Go (at 10,000 conversations, measured:
// 0.4 ms with the index, 54 ms without, 0.9 s with workspaceId added to
// the filter).

// idFilter selects one document by _id, the one filter FerretDB pushes
// down to SQLite.
func idFilter(id string) bson.D { return bson.D{{Key: "_id", Value: id}} }

// conversationByID reads the conversation by _id and reports one of
// another workspace as missing (mongo.ErrNoDocuments, which fail turns
// into ErrNotFound).
func (s *Store) conversationByID(ctx context.Context, workspaceID, id string) (conversationDoc, error) {
	var d conversationDoc
	if err := s.conversations.FindOne(ctx, idFilter(id)).Decode(&d); err != nil {
		return conversationDoc{}, err
	}
	if d.WorkspaceID != workspaceID {
		return conversationDoc{}, mongo.ErrNoDocuments
	}
	return d, nil
}

// updateConversationLocked is UpdateConversation on FerretDB: under the
// conversation's lock, read it by _id, check workspace and version, and
// write update by _id.
func (s *Store) updateConversationLocked(ctx context.Context, c *inbox.Conversation, update bson.D) error {
	unlock, err := s.lockConversation(ctx, c.ID)
	if err != nil {
		return err
	}
	defer unlock()
	d, err := s.conversationByID(ctx, c.WorkspaceID, c.ID)
	if err != nil {
		return s.fail("update conversation", err)
	}
	if d.Version != c.Version {
		return inbox.ErrConflict
	}
	res, err := s.conversations.UpdateOne(ctx, idFilter(c.ID), update)
	if err != nil {
		return s.fail("update conversation", err)
	}
	if err := updated(res); err != nil {
		return err
	}
	c.Version++
	return nil
}

// releaseHoldsLocked is steps 2 and 3 of ReleaseDueHolds on FerretDB:
// lock candidates, read each by _id, and open by _id those still pending
// and due. The lock makes the read and the write one step, so what it
// returns is what it stored: the document as read with the release
// applied, no read-back needed.
//
// ids holds more candidates than limit (see ReleaseDueHolds). It locks
// them in order, as many at a time as it still needs, and goes on with
// the next ones in place of any found locked or no longer due: callers
// racing for the same candidates then share them out, instead of the
// loser finding every one gone and releasing nothing.
func (s *Store) releaseHoldsLocked(ctx context.Context, ids []string, now time.Time, limit int) ([]inbox.Conversation, error) {
	var held []string
	defer func() { s.unlockConversations(ctx, held) }()

	// BSON datetimes keep milliseconds: the due check and the returned
	// UpdatedAt use now as the server sees it.
	at := time.UnixMilli(now.UnixMilli()).UTC()
	token := newToken()
	update := releaseUpdate(at, token)
	var (
		out    []inbox.Conversation
		models []mongo.WriteModel
	)
	for len(ids) > 0 && len(out) < limit {
		n := min(limit-len(out), len(ids))
		locked, err := s.tryLockConversations(ctx, ids[:n])
		ids = ids[n:]
		if err != nil {
			return nil, err
		}
		held = append(held, locked...)
		docs, err := s.conversationsByID(ctx, locked)
		if err != nil {
			return nil, s.fail("read due holds", err)
		}
		for _, d := range docs {
			if d.Status != string(inbox.StatusPending) || d.SnoozedUntil == nil || d.SnoozedUntil.After(at) {
				continue // changed since it was found
			}
			models = append(models, mongo.NewUpdateOneModel().SetFilter(idFilter(d.ID)).SetUpdate(update))
			d.Status, d.SnoozedUntil, d.UpdatedAt = string(inbox.StatusOpen), nil, at
			d.Version++
			d.ReleaseToken = token
			out = append(out, d.toConversation())
		}
	}
	var matched int64
	for chunk := range slices.Chunk(models, ferretUpdateChunk) {
		res, err := s.conversations.BulkWrite(ctx, chunk)
		if err != nil {
			// As on MongoDB when the read-back fails: the holds written
			// before the error are open, only their release events
			// are lost.
			return nil, s.fail("release holds", err)
		}
		matched += res.MatchedCount
	}
	if matched != int64(len(models)) {
		return nil, fmt.Errorf("mongostore: release holds: %d of %d locked conversations matched", matched, len(models))
	}
	return out, nil
}

// ferretUpdateChunk bounds the update statements sent in one command.
// FerretDB v1.24 keeps each statement's query open until the whole
// command ends, each holding one of the 100 connections of its SQLite
// pool, and each write needs a free one: a command of 500 updates waited
// forever (measured). 16 leaves room for several concurrent releasers.
const ferretUpdateChunk = 16

// readers is how many documents docsByID reads at once.
const readers = 4

// conversationsByID reads the conversations by _id; see docsByID.
func (s *Store) conversationsByID(ctx context.Context, ids []string) ([]conversationDoc, error) {
	return docsByID[conversationDoc](ctx, s.conversations, ids)
}

// docsByID reads the documents by _id, each its own find (a key lookup on
// FerretDB), a few at a time, and returns them in the order of ids.
// Missing ones are left out.
func docsByID[D any](ctx context.Context, c *mongo.Collection, ids []string) ([]D, error) {
	docs := make([]D, len(ids))
	errs := make([]error, len(ids))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(readers, len(ids)) {
		wg.Go(func() {
			for i := range next {
				errs[i] = c.FindOne(ctx, idFilter(ids[i])).Decode(&docs[i])
			}
		})
	}
	for i := range ids {
		next <- i
	}
	close(next)
	wg.Wait()
	out := docs[:0]
	for i, err := range errs {
		switch {
		case err == nil:
			out = append(out, docs[i])
		case !errors.Is(err, mongo.ErrNoDocuments):
			return nil, err
		}
	}
	return out, nil
}
