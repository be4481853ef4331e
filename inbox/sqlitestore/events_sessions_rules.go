package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"hub/inbox"
)

type eventDoc struct {
	Type  inbox.EventType   `json:"type"`
	Actor inbox.Author      `json:"actor"`
	From  inbox.Status      `json:"from,omitempty"`
	To    inbox.Status      `json:"to,omitempty"`
	Data  map[string]string `json:"data,omitempty"`
}

// AppendEvent stores e, giving it an id and time if missing.
func (s *Store) AppendEvent(ctx context.Context, e *inbox.Event) error {
	return s.AppendEvents(ctx, []*inbox.Event{e})
}

// eventsPerInsert bounds the rows of one INSERT (5 parameters each, far
// below SQLite's parameter limit).
const eventsPerInsert = 200

// AppendEvents stores the events in one transaction, with multi-row
// INSERTs: releasing a batch of holds costs one commit, not one per event.
func (s *Store) AppendEvents(ctx context.Context, events []*inbox.Event) error {
	if len(events) == 0 {
		return nil
	}
	args := make([]any, 0, 5*min(len(events), eventsPerInsert))
	insert := func(ex interface {
		ExecContext(context.Context, string, ...any) (sql.Result, error)
	}, chunk []*inbox.Event) error {
		args = args[:0]
		for _, e := range chunk {
			newID(&e.ID)
			e.At = orNow(e.At)
			doc, err := jsonText(eventDoc{Type: e.Type, Actor: e.Actor, From: e.From, To: e.To, Data: e.Data})
			if err != nil {
				return err
			}
			args = append(args, e.ID, e.WorkspaceID, e.ConversationID, ms(e.At), doc)
		}
		q := `INSERT INTO events (id, workspace_id, conversation_id, at, doc) VALUES (?, ?, ?, ?, ?)` +
			strings.Repeat(`, (?, ?, ?, ?, ?)`, len(chunk)-1)
		_, err := ex.ExecContext(ctx, q, args...)
		return mapErr(err)
	}
	if len(events) <= eventsPerInsert {
		return insert(s.w, events)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for lo := 0; lo < len(events); lo += eventsPerInsert {
		if err := insert(tx, events[lo:min(lo+eventsPerInsert, len(events))]); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// ListEvents returns the conversation's events, oldest first.
func (s *Store) ListEvents(ctx context.Context, workspaceID, conversationID string) ([]inbox.Event, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+eventCols+` FROM events
		WHERE conversation_id = ? AND workspace_id = ? ORDER BY at, id`, conversationID, workspaceID)
	if err != nil {
		return nil, err
	}
	return collectRows(rows, scanEvent)
}

const eventCols = `id, workspace_id, conversation_id, at, doc`

func scanEvent(sc scanner) (*inbox.Event, error) {
	var (
		e   inbox.Event
		at  int64
		doc []byte
		d   eventDoc
	)
	if err := sc.Scan(&e.ID, &e.WorkspaceID, &e.ConversationID, &at, &doc); err != nil {
		return nil, mapErr(err)
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, fmt.Errorf("event %s: %w", e.ID, err)
	}
	e.At = fromMs(at)
	e.Type, e.Actor, e.From, e.To, e.Data = d.Type, d.Actor, d.From, d.To, d.Data
	return &e, nil
}

// CreateSession stores s; a token hash already stored is ErrDuplicate.
func (s *Store) CreateSession(ctx context.Context, x *inbox.Session) error {
	x.CreatedAt = orNow(x.CreatedAt)
	_, err := s.w.ExecContext(ctx, `INSERT INTO sessions (token_hash, agent_id, workspace_id, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?)`, x.TokenHash, x.AgentID, x.WorkspaceID, ms(x.CreatedAt), ms(x.ExpiresAt))
	return mapErr(err)
}

// GetSession returns the session with that token hash, expired or not.
func (s *Store) GetSession(ctx context.Context, tokenHash string) (*inbox.Session, error) {
	var (
		x                inbox.Session
		created, expires int64
	)
	err := s.r.QueryRowContext(ctx, `SELECT token_hash, agent_id, workspace_id, created_at, expires_at
		FROM sessions WHERE token_hash = ?`, tokenHash).Scan(&x.TokenHash, &x.AgentID, &x.WorkspaceID, &created, &expires)
	if err != nil {
		return nil, mapErr(err)
	}
	x.CreatedAt, x.ExpiresAt = fromMs(created), fromMs(expires)
	return &x, nil
}

// DeleteSession removes the session; an unknown hash is ErrNotFound, like
// every other delete.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	return affected(s.w.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash))
}

type ruleDoc struct {
	Name     string   `json:"name"`
	Keywords []string `json:"keywords"`
	Phrases  []string `json:"phrases,omitempty"`
	Patterns []string `json:"patterns,omitempty"`
	Language string   `json:"language,omitempty"`
	Answer   string   `json:"answer"`
	Buttons  []string `json:"buttons,omitempty"`
	Handoff  bool     `json:"handoff,omitempty"`
	TeamID   string   `json:"teamId,omitempty"`
	Priority int      `json:"priority"`
	Enabled  bool     `json:"enabled"`
}

// SaveBotRule creates r or replaces the workspace's rule with its id,
// giving it an id and creation time if missing. An id taken by another
// workspace's rule is ErrNotFound and changes nothing.
func (s *Store) SaveBotRule(ctx context.Context, r *inbox.BotRule) error {
	newID(&r.ID)
	r.CreatedAt = orNow(r.CreatedAt)
	doc, err := jsonText(ruleDoc{
		Name: r.Name, Keywords: r.Keywords, Phrases: r.Phrases, Patterns: r.Patterns,
		Language: r.Language, Answer: r.Answer, Buttons: r.Buttons, Handoff: r.Handoff,
		TeamID: r.TeamID, Priority: r.Priority, Enabled: r.Enabled,
	})
	if err != nil {
		return err
	}
	// The WHERE on the upsert leaves another workspace's row alone and
	// reports zero rows changed.
	return affected(s.w.ExecContext(ctx, `INSERT INTO bot_rules (id, workspace_id, created_at, doc)
		VALUES (?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at, doc = excluded.doc
		WHERE bot_rules.workspace_id = excluded.workspace_id`,
		r.ID, r.WorkspaceID, ms(r.CreatedAt), doc))
}

// ListBotRules returns the workspace's rules, oldest first; ordering by
// priority is the bot's business.
func (s *Store) ListBotRules(ctx context.Context, workspaceID string) ([]inbox.BotRule, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, workspace_id, created_at, doc FROM bot_rules
		WHERE workspace_id = ? ORDER BY created_at, id`, workspaceID)
	if err != nil {
		return nil, err
	}
	return collectRows(rows, func(sc scanner) (*inbox.BotRule, error) {
		var (
			r       inbox.BotRule
			created int64
			doc     []byte
			d       ruleDoc
		)
		if err := sc.Scan(&r.ID, &r.WorkspaceID, &created, &doc); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(doc, &d); err != nil {
			return nil, fmt.Errorf("bot rule %s: %w", r.ID, err)
		}
		r.CreatedAt = fromMs(created)
		r.Name, r.Answer, r.Handoff = d.Name, d.Answer, d.Handoff
		r.Language, r.TeamID, r.Priority, r.Enabled = d.Language, d.TeamID, d.Priority, d.Enabled
		// The API shows every list as a list, never null; rules saved
		// before phrases, patterns and buttons existed have none.
		r.Keywords, r.Phrases = orEmpty(d.Keywords), orEmpty(d.Phrases)
		r.Patterns, r.Buttons = orEmpty(d.Patterns), orEmpty(d.Buttons)
		return &r, nil
	})
}

// DeleteBotRule removes the workspace's rule with that id.
func (s *Store) DeleteBotRule(ctx context.Context, workspaceID, id string) error {
	return affected(s.w.ExecContext(ctx, `DELETE FROM bot_rules WHERE id = ? AND workspace_id = ?`, id, workspaceID))
}

// orEmpty gives a list read back from a document as a list, never nil.
func orEmpty[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}
