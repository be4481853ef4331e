package mongostore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"hub/inbox"
)

// Collection names. They are part of the on-disk format: renaming one
// orphans existing data.
const (
	collWorkspaces    = "workspaces"
	collAgents        = "agents"
	collTeams         = "teams"
	collChannels      = "channels"
	collContacts      = "contacts"
	collIdentities    = "contact_identities"
	collConversations = "conversations"
	collConvLocks     = "conversation_locks"
	collMessages      = "messages"
	collEvents        = "events"
	collSessions      = "sessions"
	collBotRules      = "bot_rules"
	collChatMessages  = "chat_messages"
)

// Store is the MongoDB implementation of inbox.Store.
type Store struct {
	client *mongo.Client
	db     *mongo.Database

	workspaces    *mongo.Collection
	agents        *mongo.Collection
	teams         *mongo.Collection
	channels      *mongo.Collection
	contacts      *mongo.Collection
	identities    *mongo.Collection
	conversations *mongo.Collection
	convLocks     *mongo.Collection
	messages      *mongo.Collection
	events        *mongo.Collection
	sessions      *mongo.Collection
	botRules      *mongo.Collection
	chatMessages  *mongo.Collection

	// lockWrites is set when the server does not apply a filtered update
	// atomically (FerretDB v1 reads, filters and rewrites a document in
	// separate steps, so two "version = 3" updates can both match). Writers
	// of a conversation then hold a lock document; see locks.go. It also
	// selects the lookups by _id alone that FerretDB serves from an index
	// (ferretdb.go): they are sound only because of those locks.
	lockWrites bool
	lockWait   time.Duration
}

var _ inbox.Store = (*Store)(nil)

// Open connects to the server at uri, checks it answers and makes sure
// every index exists (creating an existing index is a no-op), so a fresh
// database is usable at once and an old one gains new indexes on upgrade.
func Open(ctx context.Context, uri, dbName string) (*Store, error) {
	if dbName == "" {
		return nil, errors.New("mongostore: database name is empty")
	}
	client, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		return nil, fmt.Errorf("mongostore: connect: %w", err)
	}
	s := newStore(client, dbName)
	if err := s.Ping(ctx); err != nil {
		_ = s.Close()
		return nil, err
	}
	if s.lockWrites, err = isFerretDB(ctx, s.db); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("mongostore: buildInfo: %w", err)
	}
	if err := s.ensureIndexes(ctx); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

func newStore(client *mongo.Client, dbName string) *Store {
	db := client.Database(dbName)
	return &Store{
		client:        client,
		db:            db,
		workspaces:    db.Collection(collWorkspaces),
		agents:        db.Collection(collAgents),
		teams:         db.Collection(collTeams),
		channels:      db.Collection(collChannels),
		contacts:      db.Collection(collContacts),
		identities:    db.Collection(collIdentities),
		conversations: db.Collection(collConversations),
		convLocks:     db.Collection(collConvLocks),
		messages:      db.Collection(collMessages),
		events:        db.Collection(collEvents),
		sessions:      db.Collection(collSessions),
		botRules:      db.Collection(collBotRules),
		chatMessages:  db.Collection(collChatMessages),
		lockWait:      defaultLockWait,
	}
}

// isFerretDB tells FerretDB from MongoDB by the field only FerretDB adds
// to buildInfo. Later FerretDB versions may well update atomically, but
// locking costs them little, so no version is trusted.
func isFerretDB(ctx context.Context, db *mongo.Database) (bool, error) {
	var info struct {
		FerretDBVersion *string `bson:"ferretdbVersion"`
	}
	if err := db.RunCommand(ctx, bson.D{{Key: "buildInfo", Value: 1}}).Decode(&info); err != nil {
		return false, err
	}
	return info.FerretDBVersion != nil, nil
}

// Database returns the underlying database, for tests and maintenance
// tools that need to drop or inspect it.
func (s *Store) Database() *mongo.Database { return s.db }

// Ping reports whether the server answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.client.Ping(ctx, nil); err != nil {
		return fmt.Errorf("mongostore: ping: %w", err)
	}
	return nil
}

// Close disconnects. A bounded wait keeps shutdown from hanging on an
// unreachable server.
func (s *Store) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.client.Disconnect(ctx); err != nil {
		return fmt.Errorf("mongostore: disconnect: %w", err)
	}
	return nil
}

// fail turns a driver error into the store's: the domain sentinels when
// the contract names one, otherwise the error wrapped with the operation.
func (s *Store) fail(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, mongo.ErrNoDocuments):
		return inbox.ErrNotFound
	case s.isDuplicate(err):
		return inbox.ErrDuplicate
	}
	return fmt.Errorf("mongostore: %s: %w", op, err)
}

// isDuplicate recognises unique-index violations. FerretDB v1 reports one
// raised by an update (not an insert) as an internal error carrying
// SQLite's message, so that message is accepted there too.
func (s *Store) isDuplicate(err error) bool {
	if mongo.IsDuplicateKeyError(err) {
		return true
	}
	return s.lockWrites && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// key joins parts into one string key that no other list of parts maps
// to: each part but the last is length-prefixed, so separators inside
// provider ids cannot forge a collision.
func key(parts ...string) string {
	var b strings.Builder
	for i, p := range parts {
		if i == len(parts)-1 {
			b.WriteString(p)
			break
		}
		b.WriteString(strconv.Itoa(len(p)))
		b.WriteByte(':')
		b.WriteString(p)
		b.WriteByte(':')
	}
	return b.String()
}

// byID is the filter of a workspace record: the workspace is part of
// every lookup so that an id from another workspace finds nothing.
func byID(workspaceID, id string) bson.D {
	return bson.D{{Key: "_id", Value: id}, {Key: "workspaceId", Value: workspaceID}}
}

// findAll runs a find and decodes every document, converting each with
// conv.
func findAll[D, T any](ctx context.Context, c *mongo.Collection, filter any, opts *options.FindOptionsBuilder, conv func(*D) T) ([]T, error) {
	cur, err := c.Find(ctx, filter, opts)
	if err != nil {
		return nil, err
	}
	var docs []D
	if err := cur.All(ctx, &docs); err != nil {
		return nil, err
	}
	out := make([]T, len(docs))
	for i := range docs {
		out[i] = conv(&docs[i])
	}
	return out, nil
}

// findOne decodes the single document matching filter.
func findOne[D, T any](ctx context.Context, c *mongo.Collection, filter any, conv func(*D) T) (T, error) {
	var d D
	if err := c.FindOne(ctx, filter).Decode(&d); err != nil {
		var zero T
		return zero, err
	}
	return conv(&d), nil
}

// updated reports ErrNotFound for an update that matched nothing.
func updated(res *mongo.UpdateResult) error {
	if res.MatchedCount == 0 {
		return inbox.ErrNotFound
	}
	return nil
}

// utc strips the location a decoded time may carry, so callers compare
// stored times without surprises.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := utc(*t)
	return &v
}

// pair stores one map entry. Maps are kept as lists of pairs because
// their keys (provider settings, event data) may contain dots or start
// with "$", which MongoDB field names must not.
type pair struct {
	K string `bson:"k"`
	V string `bson:"v"`
}

func toPairs(m map[string]string) []pair {
	out := make([]pair, 0, len(m))
	for k, v := range m {
		out = append(out, pair{K: k, V: v})
	}
	return out
}

func fromPairs(ps []pair) map[string]string {
	if len(ps) == 0 {
		return nil
	}
	m := make(map[string]string, len(ps))
	for _, p := range ps {
		m[p.K] = p.V
	}
	return m
}

// nonNil keeps empty lists as BSON arrays rather than nulls, so other
// tools reading the database see the shape they expect.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
