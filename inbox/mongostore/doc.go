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
//	conversation_locks  FerretDB only: _id = conversation id (or "message:" and a
//	                    message id, or "contact:" and a contact id) while a writer holds it
//	messages            externalKey (unique): (channel, provider id) of an inbound message,
//	                    otherwise a per-message placeholder; externalId, per channel, for
//	                    delivery reports; the outbox: delivery, attempts, nextAttemptAt, leaseUntil
//	events              append-only, per conversation and per workspace in time order
//	sessions            _id = token hash
//	bot_rules           per workspace
//	chat_messages       team chat: per workspace and room, in id order
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
// GetAgentByEmail, GetSession, FindMessageByExternalID,
// FindSentMessageByExternalID, ListWorkspaces, ListChannelsOfType,
// ClaimOutbound, ReleaseDueHolds and ListOffersDue. Every list and lookup has an
// index (indexes.go); they are created by Open, idempotently. On FerretDB
// only, three conversation paths read by _id alone and check the
// workspace in Go instead, with the same result (see FerretDB below).
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
//     (On FerretDB both go through conversation locks; see below.)
//   - ClaimOutbound finds the due heads of the conversations' queues, then
//     leases each with one update that re-checks queued, due and unleased;
//     RetryOutbound and AdvanceDelivery are one update each, filtered on
//     the states they may change (outbox.go).
//   - FindOrCreateContact claims the identity by inserting a document whose
//     _id is the identity; the loser of a race reads the winner's claim.
//   - Empty provider message ids must not collide in the unique index, and
//     partial indexes (and sparse, on FerretDB) are unavailable, so messages
//     without one get a unique placeholder key instead.
//
// # Provider message ids
//
// Only inbound provider ids are unique per channel (the webhook dedupe);
// replies' ids, recorded by AdvanceDelivery, are not, because providers
// number both directions independently (external_ids.go). An inbound
// message's externalKey is (channel, id); every other message's is its
// placeholder, and a reply's id lives in externalId alone, indexed by
// channel_externalId_id, which Open adds to existing databases like any
// index.
//
// Existing data: before this rule, AdvanceDelivery also gave replies the
// key (channel, id), so an old reply may still hold the key a customer's
// message now needs. Those keys are not rewritten at Open, which would
// read every message on each start (or need a migration record) to fix
// keys that rarely matter. Instead they are made harmless where they
// could matter: FindMessageByExternalID filters on direction, so an old
// reply never shadows an inbound message, and AddMessage, when an
// inbound insert is refused by a key an outbound message holds, gives
// that reply its placeholder and inserts again (freeLegacyKey), all
// single-document writes. Old replies stay findable by
// FindSentMessageByExternalID, which reads externalId.
//
// Nothing relies on TTL, partial or text indexes, change streams, $lookup,
// $facet or multi-accumulator $group, which FerretDB v1 lacks.
//
// # FerretDB
//
// The tests run against an in-process FerretDB v1.24 (SQLite) unless
// HUB_TEST_MONGO_URI names a server. Open detects FerretDB (buildInfo has
// ferretdbVersion) and sets Store.lockWrites, which changes two things:
//
//   - Atomicity. FerretDB v1 evaluates an update's filter and writes the
//     result in separate steps, so conditional updates are not atomic
//     there. Every writer of an existing conversation holds its lock
//     document instead (locks.go), every writer of a message's
//     delivery or lease holds the message's (outbox_ferretdb.go), and
//     every writer of a contact holds the contact's (contacts.go).
//   - Lookups. FerretDB evaluates filters in Go over a full scan of the
//     collection, except a filter of exactly {_id: id}, which becomes an
//     SQL lookup. So GetConversation, UpdateConversation and the
//     per-conversation steps of ReleaseDueHolds find the conversation by
//     _id alone, then check in Go what MongoDB checks in the filter: the
//     workspace (another workspace's conversation is ErrNotFound, as on
//     MongoDB), the version, "pending and due". The checks of a write run
//     under the conversation's lock, so nothing changes the document
//     between read and write (ferretdb.go). On MongoDB every one of these
//     queries keeps workspaceId, version and status in its filter.
//
// Finding due holds still scans every conversation on FerretDB, once per
// ReleaseDueHolds call. With the test helper's _id index (see
// internal/ferrettest), everything else the hold release does per
// conversation is an index lookup, so the store suite's 10,000-hold tests
// run on FerretDB as on MongoDB (mongostore_test.go has the timings).
package mongostore
