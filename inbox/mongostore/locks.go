package mongostore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"hub/inbox"
)

// Conversation locks exist for FerretDB v1 only (Store.lockWrites).
//
// MongoDB applies an update's filter and its change to one document
// atomically, which is all the conditional updates of this store need.
// FerretDB v1 does not: it reads the matching documents, applies the
// change in Go and writes each back by _id, so two updates filtered on
// the same version can both match and both "win" (measured: 8 concurrent
// UpdateOne calls on {version: 1} reported 2 to 8 matches). What FerretDB
// does make atomic is an insert against a unique key. So on FerretDB
// every writer of an existing conversation first inserts a lock document
// whose _id is the conversation id, and deletes it when done; with one
// writer at a time, the read-filter-write sequence cannot interleave.
//
// The outbox uses the same mechanism for messages, with lock ids
// "message:" and the message id (outbox_ferretdb.go).
//
// A holder that dies leaves its lock behind. Locks older than lockTTL are
// taken as abandoned and removed; lockTTL is far above the longest hold
// (one release batch) so a slow but live holder is not overrun.
const (
	lockTTL = 2 * time.Minute
	// defaultLockWait bounds how long an update waits for a busy
	// conversation before reporting the race as lost.
	defaultLockWait = 5 * time.Second
)

type convLockDoc struct {
	ID    string    `bson:"_id"`
	Owner string    `bson:"owner"`
	At    time.Time `bson:"at"`
}

// newToken returns a random token naming one lock holder or one release
// batch.
func newToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// lockConversation waits for the conversation's lock and returns its
// release. A lock still busy after Store.lockWait is ErrConflict: someone else
// is changing the conversation, so the caller's copy is about to be stale.
func (s *Store) lockConversation(ctx context.Context, id string) (unlock func(), err error) {
	owner := newToken()
	deadline := time.Now().Add(s.lockWait)
	pause := 2 * time.Millisecond
	for {
		_, err := s.convLocks.InsertOne(ctx, convLockDoc{ID: id, Owner: owner, At: time.Now().UTC()})
		if err == nil {
			return func() { s.unlockConversations(ctx, []string{id}) }, nil
		}
		if !s.isDuplicate(err) {
			return nil, s.fail("lock conversation", err)
		}
		if err := s.breakStaleLocks(ctx, []string{id}); err != nil {
			return nil, err
		}
		if time.Now().After(deadline) {
			return nil, inbox.ErrConflict
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
		pause = min(2*pause, 50*time.Millisecond)
	}
}

// tryLockConversations takes whichever of the locks are free, without
// waiting: a busy conversation is being changed by someone else, and the
// caller (the hold release) simply leaves it for its next run.
func (s *Store) tryLockConversations(ctx context.Context, ids []string) (locked []string, err error) {
	if len(ids) == 0 {
		return nil, nil
	}
	owner := newToken()
	now := time.Now().UTC()
	docs := make([]any, len(ids))
	for i, id := range ids {
		docs[i] = convLockDoc{ID: id, Owner: owner, At: now}
	}
	_, err = s.convLocks.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	if err == nil {
		return ids, nil
	}
	var bwe mongo.BulkWriteException
	if !errors.As(err, &bwe) || bwe.WriteConcernError != nil {
		// Some inserts may have succeeded before the failure; their
		// ids are unknown, so every lock carrying our owner token is
		// released (never another holder's).
		s.unlockOwned(ctx, ids, owner)
		return nil, s.fail("lock conversations", err)
	}
	busy := make(map[int]bool, len(bwe.WriteErrors))
	var busyIDs []string
	for _, we := range bwe.WriteErrors {
		if we.Code != 11000 {
			s.unlockOwned(ctx, ids, owner)
			return nil, s.fail("lock conversations", err)
		}
		busy[we.Index] = true
		busyIDs = append(busyIDs, ids[we.Index])
	}
	for i, id := range ids {
		if !busy[i] {
			locked = append(locked, id)
		}
	}
	if err := s.breakStaleLocks(ctx, busyIDs); err != nil {
		s.unlockConversations(ctx, locked)
		return nil, err
	}
	return locked, nil
}

// unlockConversations deletes the locks. It runs even when ctx is
// cancelled (a cancelled request must not leave its locks behind for
// lockTTL); a failure only delays the conversations until the locks go
// stale. One lock is deleted by _id alone, a key lookup on FerretDB; many
// with one $in, which FerretDB serves by reading the lock collection
// (small: the locks held right now, and any abandoned ones not yet
// broken) and deleting the matches in one statement, far cheaper than as
// many single deletes.
func (s *Store) unlockConversations(ctx context.Context, ids []string) {
	if len(ids) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	filter := idFilter(ids[0])
	if len(ids) > 1 {
		filter = bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}}
	}
	_, _ = s.convLocks.DeleteMany(ctx, filter)
}

// unlockOwned releases those of the ids' locks that owner holds.
func (s *Store) unlockOwned(ctx context.Context, ids []string, owner string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	_, _ = s.convLocks.DeleteMany(ctx, bson.D{
		{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}},
		{Key: "owner", Value: owner},
	})
}

// breakStaleLocks removes those of the ids' locks that are older than
// lockTTL. The delete names the owner it saw, so a lock re-taken in the
// meantime survives.
func (s *Store) breakStaleLocks(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	filter := bson.D{
		{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}},
		{Key: "at", Value: bson.D{{Key: "$lt", Value: time.Now().UTC().Add(-lockTTL)}}},
	}
	stale, err := findAll(ctx, s.convLocks, filter, options.Find(), func(d *convLockDoc) convLockDoc { return *d })
	if err != nil {
		return s.fail("find stale locks", err)
	}
	for _, l := range stale {
		_, err := s.convLocks.DeleteOne(ctx, bson.D{{Key: "_id", Value: l.ID}, {Key: "owner", Value: l.Owner}})
		if err != nil {
			return s.fail("break stale lock", err)
		}
	}
	return nil
}
