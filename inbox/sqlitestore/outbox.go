package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"hub/inbox"
)

// The outbox is the set of queued outbound messages (the partial indexes
// messages_outbox_head and messages_outbox_due of migration 2). Each
// statement below runs on the single writer connection, so it is atomic
// on its own: no other statement reads or writes between its WHERE and
// its SET.

// claimSQL leases the due heads of the conversations' queues: the
// subquery walks messages_outbox_due from the most overdue message and
// keeps those that are not leased and have no older queued message in
// their conversation (one seek in messages_outbox_head each).
// Arguments: lease until, now, now, limit.
const claimSQL = `UPDATE messages SET lease_until = ?
	WHERE id IN (
		SELECT m.id FROM messages m
		WHERE m.delivery = 'queued' AND m.direction = 'out'
			AND m.next_attempt_at <= ? AND m.lease_until <= ?
			AND NOT EXISTS (
				SELECT 1 FROM messages h
				WHERE h.conversation_id = m.conversation_id AND h.id < m.id
					AND h.delivery = 'queued' AND h.direction = 'out')
		ORDER BY m.next_attempt_at, m.id
		LIMIT ?)
	RETURNING ` + msgCols

// ClaimOutbound leases up to limit due queued messages, each the oldest
// queued outbound message of its conversation, and returns them most
// overdue first. One UPDATE picks and leases them, so concurrent callers
// (the writer runs one statement at a time) never get the same message.
func (s *Store) ClaimOutbound(ctx context.Context, now, leaseUntil time.Time, limit int) ([]inbox.Message, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := s.w.QueryContext(ctx, claimSQL, msOrZero(leaseUntil), ms(now), ms(now), limit)
	if err != nil {
		return nil, mapErr(err)
	}
	out, err := collectRows(rows, scanMsg)
	if err != nil {
		return nil, err
	}
	// RETURNING gives rows in no promised order.
	slices.SortFunc(out, func(a, b inbox.Message) int {
		if c := a.NextAttemptAt.Compare(b.NextAttemptAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// RetryOutbound records a failed attempt on a queued message and ends its
// lease, so it is claimed again at next.
func (s *Store) RetryOutbound(ctx context.Context, workspaceID, messageID string, attempts int, next time.Time, errText string) error {
	res, err := s.w.ExecContext(ctx, `UPDATE messages
		SET attempts = ?, next_attempt_at = ?, delivery_error = ?, lease_until = 0
		WHERE id = ? AND workspace_id = ? AND delivery = 'queued'`,
		attempts, msOrZero(next), errText, messageID, workspaceID)
	n, err := rowsChanged(res, err)
	if err != nil || n > 0 {
		return err
	}
	if err := s.messageExists(ctx, workspaceID, messageID); err != nil {
		return err
	}
	return fmt.Errorf("%w: message %s is no longer queued", inbox.ErrConflict, messageID)
}

// AdvanceDelivery moves the delivery state forward to d in one
// conditional UPDATE: it matches only while the stored state is one d may
// replace, so of racing callbacks the highest state stays, whatever the
// order they arrive in. Only outbound messages have a state to advance,
// and their provider ids are not unique (messages_external_out), so the
// provider id is stored whatever other messages of the channel carry.
func (s *Store) AdvanceDelivery(ctx context.Context, workspaceID, messageID string, d inbox.Delivery, errText, externalID string) (bool, error) {
	below := d.Below()
	if len(below) > 0 {
		args := []any{string(d), errText, externalID, externalID, messageID, workspaceID}
		for _, b := range below {
			args = append(args, string(b))
		}
		res, err := s.w.ExecContext(ctx, `UPDATE messages
			SET delivery = ?, delivery_error = ?, lease_until = 0,
				external_id = CASE WHEN ? = '' THEN external_id ELSE ? END
			WHERE id = ? AND workspace_id = ?
				AND delivery IN (?`+strings.Repeat(", ?", len(below)-1)+`)`, args...)
		n, err := rowsChanged(res, err)
		if err != nil || n > 0 {
			return n > 0, err
		}
	}
	// Nothing matched: already at or past d, or not a message of the
	// workspace at all.
	return false, s.messageExists(ctx, workspaceID, messageID)
}

// messageExists is nil when the workspace has the message, ErrNotFound
// otherwise.
func (s *Store) messageExists(ctx context.Context, workspaceID, id string) error {
	var one int
	return mapErr(s.r.QueryRowContext(ctx, `SELECT 1 FROM messages WHERE id = ? AND workspace_id = ?`,
		id, workspaceID).Scan(&one))
}

// rowsChanged is the number of rows an Exec changed, with driver errors
// mapped to the domain's.
func rowsChanged(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, mapErr(err)
	}
	return res.RowsAffected()
}

// Outbox times use 0 for the zero time: "at once" for NextAttemptAt, "no
// lease" for LeaseUntil; both compare as long past.

func msOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return ms(t)
}

func fromMsOrZero(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return fromMs(v)
}
