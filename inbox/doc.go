// Package inbox is the domain of the hub: workspaces, agents, teams,
// contacts, channels, conversations, messages and events, the conversation
// lifecycle (DESIGN.md §3) and the Store contract every backend implements.
//
// It imports the standard library only. Web frameworks, database drivers and
// channel SDKs live in other packages and depend on this one, never the other
// way round.
//
// Decisions worth knowing:
//   - A contact has one conversation per channel ("thread"). When a closed
//     conversation gets a new customer message it is reopened, history kept,
//     as DESIGN.md §3 says; the store enforces one conversation per
//     (channel, contact).
//   - Every store write is a single-row/single-document conditional update.
//     Conversations carry a Version; an update whose Version no longer
//     matches fails with ErrConflict, so two agents (or cron and an agent)
//     can never both win.
//   - awaitingReply is true exactly while the last public message is an
//     unanswered customer one. A public reply by an agent answers it, and so
//     does a bot reply while the bot holds the conversation. Private notes,
//     system messages and the notice the bot sends when it hands off do not:
//     after a handoff the customer is still waiting for a person.
//   - Agent actions go through Service, which checks the lifecycle rules
//     and who may do what, stores the change with one conditional update,
//     appends an Event and tells listeners (the hub's event bus).
//   - A provider retries a webhook the hub did not acknowledge, and the hub
//     acknowledges only after the bot's answer is stored: a retry may find
//     its message stored but its conversation not updated, or its bot turn
//     not done (a crash), or the original request still at work. Ingest
//     applies a message to its conversation once (LastInboundID) and marks
//     a retry whose bot turn is owed (IngestResult.BotOwed); TakeBotTurn
//     stores a turn once however often it runs: reply ids derived from the
//     message (ReplyID), the turn recorded on the conversation
//     (BotTurnMessageID) in the same update as its effects.
package inbox
