package inbox

import (
	"context"
	"time"
)

// Opt-out (SMS STOP/START) decisions:
//   - The keyword message is stored and shown like any customer message,
//     but it is not a question: no bot answer, no status change, nothing
//     awaiting a reply.
//   - While opted out, agents' replies are refused with a conflict that
//     says why, the bot stays silent, and the outbox fails anything still
//     queued (carriers refuse it anyway).
//   - A private system note in the conversation tells agents what happened.

const (
	optedOutNote = "The customer opted out of messages on this channel (they sent STOP). " +
		"Replies cannot be sent until they send START."
	optedInNote = "The customer opted back in (they sent START): replies can be sent again."
)

// errOptedOut refuses a reply to a customer who opted out.
func errOptedOut() error {
	return conflict("contact_opted_out",
		"the customer opted out of messages on this channel (STOP); replies are possible again once they send START")
}

// ErrOptedOutReason is the delivery error of a message the outbox did not
// send because the customer opted out after it was queued.
const ErrOptedOutReason = "not sent: the customer opted out of messages on this channel (STOP)"

func (s *Service) recordOptOut(ctx context.Context, conv *Conversation, contact *Contact, o OptOut, at time.Time) error {
	event, note := EventOptedOut, optedOutNote
	if o == OptOutStart {
		event, note = EventOptedIn, optedInNote
	}
	if err := s.record(ctx, conv, event, Author{Type: AuthorContact, ID: contact.ID}, "", nil); err != nil {
		return err
	}
	msg := s.outbound(conv, Author{Type: AuthorSystem, Name: "System"}, note, nil, s.clock.Now())
	msg.Private = true
	msg.Delivery = ""
	return s.addMessage(ctx, conv, msg)
}
