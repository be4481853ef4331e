// Package mongostore is the production inbox.Store on MongoDB (driver
// go.mongodb.org/mongo-driver/v2). The hub uses it when HUB_MONGO_URI is
// set; several hub instances may share one database.
//
// # Collections
//
//	workspaces          _id = workspace id
//	agents              emailLower (unique, across workspaces: login is by email alone)
//	teams, channels     per workspace, listed in creation order
//	contacts            the contact; identities inline, blockedChannels as a set
//	contact_identities  _id = (workspace, channel, handle) → contactId: the identity claim
//	conversations       one per (channelId, contactId) (unique); version; releaseToken
//	conversation_locks  FerretDB only: _id = conversation id while a writer holds it
//	messages            externalKey (unique): (channel, provider id) or a per-message placeholder
//	events              append-only, per conversation in time order
//	sessions            _id = token hash
//	bot_rules           per workspace
//
// Documents are the package's own bson-tagged structs, converted to and
// from the inbox types, so the domain package carries no storage tags.
// Maps (channel config, event data) are stored as lists of {k, v} pairs
// because their keys may contain "." or start with "$". Times are BSON
// datetimes: millisecond precision, returned in UTC.
//
// Every query of workspace data filters on workspaceId, so an id from
// another workspace finds nothing (ErrNotFound). The exceptions are the
// methods the contract documents as cross-workspace: FindChannel,
// GetAgentByEmail, GetSession, FindMessageByExternalID, ListWorkspaces,
// ListQueuedMessages and ReleaseDueHolds. Every list and lookup has an
// index (indexes.go); they are created by Open, idempotently.
//
// # No transactions
//
// Every method is one atomic single-document operation, so the store works
// on sharded clusters and on FerretDB, neither of which the hub may assume
// to have multi-document transactions:
//
//   - Uniqueness is enforced by unique indexes, never by a lookup followed
//     by an insert: duplicate keys become inbox.ErrDuplicate.
//   - UpdateConversation is an update filtered on {_id, workspaceId,
//     version}: a stale copy matches nothing and gets ErrConflict (or
//     ErrNotFound when the conversation is not in that workspace).
//   - ReleaseDueHolds finds due holds, opens them with one UpdateMany that
//     re-checks "pending and due" and stamps a random token, then reads back
//     the documents carrying its token; concurrent callers never share one.
//   - FindOrCreateContact claims the identity by inserting a document whose
//     _id is the identity; the loser of a race reads the winner's claim.
//   - Empty provider message ids must not collide in the unique index, and
//     partial indexes (and sparse, on FerretDB) are unavailable, so messages
//     without one get a unique placeholder key instead.
//
// Nothing relies on TTL, partial or text indexes, change streams, $lookup,
// $facet or multi-accumulator $group, which FerretDB v1 lacks.
//
// # FerretDB
//
// The tests run against an in-process FerretDB v1.24 (SQLite) unless
// HUB_TEST_MONGO_URI names a server. FerretDB v1 evaluates an update's
// filter and writes the result in separate steps, so conditional updates
// are not atomic there; Open detects FerretDB (buildInfo has
// ferretdbVersion) and then serialises the writers of each conversation
// with lock documents (locks.go). FerretDB also scans the collection for
// every query and every updated document, which is why its test run uses
// fewer holds than the 10,000 a MongoDB run uses (mongostore_test.go).
package mongostore
