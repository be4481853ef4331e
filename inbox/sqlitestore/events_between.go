package sqlitestore

import (
	"context"
	"time"

	"hub/inbox"
)

// defaultEventsPage is the page size of ListEventsBetween when the caller
// gives none.
const defaultEventsPage = 1000

// ListEventsBetween returns the workspace's events with from <= At < to in
// (at, id) order, a range walk of the events_workspace_at index.
//
// afterID is the last event of the previous page: the page starts strictly
// after that event's (at, id), so events sharing a millisecond are neither
// repeated nor skipped across pages. An afterID that is not an event of the
// workspace is ErrNotFound rather than a silent restart from the beginning.
// At most limit events are returned (0 or less: 1000).
func (s *Store) ListEventsBetween(ctx context.Context, workspaceID string, from, to time.Time, afterID string, limit int) ([]inbox.Event, error) {
	if limit <= 0 {
		limit = defaultEventsPage
	}
	// Stored times are whole milliseconds: rounding both bounds up keeps
	// "from <= At" and "At < to" exact for bounds finer than that.
	lo, hi := msCeil(from), msCeil(to)
	if afterID == "" {
		rows, err := s.r.QueryContext(ctx, `SELECT `+eventCols+` FROM events
			WHERE workspace_id = ? AND at >= ? AND at < ?
			ORDER BY at, id LIMIT ?`, workspaceID, lo, hi, limit)
		if err != nil {
			return nil, err
		}
		return collectRows(rows, scanEvent)
	}
	// Events never change, so the position read here is still the
	// event's when the page is read.
	var afterAt int64
	if err := s.r.QueryRowContext(ctx, `SELECT at FROM events WHERE id = ? AND workspace_id = ?`,
		afterID, workspaceID).Scan(&afterAt); err != nil {
		return nil, mapErr(err)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+eventCols+` FROM events
		WHERE workspace_id = ? AND at >= ? AND at < ? AND (at, id) > (?, ?)
		ORDER BY at, id LIMIT ?`, workspaceID, lo, hi, afterAt, afterID, limit)
	if err != nil {
		return nil, err
	}
	return collectRows(rows, scanEvent)
}

// msCeil is t in Unix milliseconds, rounded up.
func msCeil(t time.Time) int64 {
	v := t.UnixMilli()
	if t.After(time.UnixMilli(v)) {
		v++
	}
	return v
}
