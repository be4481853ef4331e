package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite"

	"hub/inbox"
	"hub/inbox/sqlitestore"
)

// Texts the demo bot sends, so the baseline's rows are the hub's size.
const (
	baselineGreeting = "Hello! I am the virtual assistant. How can I help you?"
	baselineAnswer   = "Breakfast is served from 7:00 to 10:30 in the garden room. / Le petit-déjeuner est servi de 7h à 10h30 dans la salle du jardin."
)

// sqlBaseline is the physical floor of ingest: the rows the hub writes for
// one customer message and its bot reply, written as raw SQL on a SQLite
// file with the hub's own schema (created by sqlitestore.Open), the same
// driver and the same pragmas as the store's writer (busy_timeout(10000),
// WAL, foreign_keys, synchronous NORMAL, IMMEDIATE transactions) through
// one writer connection, so concurrent callers queue in Go as the hub's
// do. Each message is one transaction:
//
//   - a provider retry: the lookup of (channel, external id) finds it and
//     nothing is written;
//   - otherwise the identity lookup, and for a new customer the contact,
//     its identity, the conversation and its "created" event; the inbound
//     message with its external id; the conversation update (last message,
//     awaiting reply, spam counters); per bot reply the conversation
//     update (answered) and the reply inserted "queued"; for the first
//     message the bot-state update; per reply the outbox's lease and its
//     delivery update to "sent" with the provider's id.
//
// The hub makes the same writes as separate statements (its store has no
// multi-document transactions, for MongoDB), plus the reads it does on
// its reader pool; the baseline folds each message into one commit.
type sqlBaseline struct {
	path     string
	db       *sql.DB
	ws       string
	greeting bool
	now      func() time.Time
}

func newSQLBaseline(dir string, greeting bool) (*sqlBaseline, error) {
	path := filepath.Join(dir, "baseline.db")
	st, err := sqlitestore.Open(path)
	if err != nil {
		return nil, err
	}
	if err := st.Close(); err != nil {
		return nil, err
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxIdleTime(0)
	db.SetConnMaxLifetime(0)
	return &sqlBaseline{path: path, db: db, ws: inbox.NewID(), greeting: greeting, now: func() time.Time { return time.Now().UTC() }}, nil
}

func (s *sqlBaseline) close() error { return s.db.Close() }

// baselineMsg is what the baseline needs of a post: where it came from and
// what it says.
type baselineMsg struct {
	channel, handle, name, externalID, text string
}

// baselineMessages turns a workload's posts into what each carries.
func baselineMessages(posts []webhookPost) ([]baselineMsg, error) {
	out := make([]baselineMsg, len(posts))
	for i, p := range posts {
		var m baselineMsg
		if p.contentType == "application/json" {
			var u struct {
				UpdateID int64 `json:"update_id"`
				Message  struct {
					Chat struct{ ID int64 } `json:"chat"`
					Text string             `json:"text"`
				} `json:"message"`
			}
			if err := json.Unmarshal(p.body, &u); err != nil {
				return nil, err
			}
			m = baselineMsg{channel: p.path, handle: fmt.Sprint(u.Message.Chat.ID), name: "Guest " + fmt.Sprint(u.Message.Chat.ID),
				externalID: fmt.Sprint(u.UpdateID), text: u.Message.Text}
		} else {
			form, err := url.ParseQuery(string(p.body))
			if err != nil {
				return nil, err
			}
			m = baselineMsg{channel: p.path, handle: form.Get("From"), externalID: form.Get("MessageSid"), text: form.Get("Body")}
		}
		out[i] = m
	}
	return out, nil
}

type baselineAuthor struct {
	Type string `json:"type"`
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

type baselineMsgDoc struct {
	Author baselineAuthor `json:"author"`
	Text   string         `json:"text,omitempty"`
}

// baselineConvDoc is the conversation's JSON column with the fields the
// hub sets on a bot conversation.
type baselineConvDoc struct {
	AwaitingReply   bool    `json:"awaitingReply,omitempty"`
	AwaitingSince   *int64  `json:"awaitingSince,omitempty"`
	ContactName     string  `json:"contactName,omitempty"`
	ContactHandle   string  `json:"contactHandle,omitempty"`
	LastMessageText string  `json:"lastMessageText,omitempty"`
	CreatedAt       int64   `json:"createdAt"`
	BotAnswered     bool    `json:"botAnswered,omitempty"`
	RecentInbound   []int64 `json:"recentInbound,omitempty"`
	RepeatText      string  `json:"repeatText,omitempty"`
	RepeatCount     int     `json:"repeatCount,omitempty"`
}

// apply writes one message's rows in one transaction.
func (s *sqlBaseline) apply(ctx context.Context, m *baselineMsg) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var one int
	// The store's inbound dedupe lookup, on its partial unique index.
	err = tx.QueryRowContext(ctx, `SELECT 1 FROM messages
		WHERE channel_id = ? AND external_id = ? AND direction = 'in' AND external_id <> ''`,
		m.channel, m.externalID).Scan(&one)
	if err == nil {
		return tx.Commit() // a retry: already stored
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	now := s.now()
	at := now.UnixMilli()
	var contactID string
	err = tx.QueryRowContext(ctx, `SELECT contact_id FROM contact_identities WHERE channel_id = ? AND handle = ?`,
		m.channel, m.handle).Scan(&contactID)
	if errors.Is(err, sql.ErrNoRows) {
		contactID = inbox.NewID()
		if _, err := tx.ExecContext(ctx, `INSERT INTO contacts (id, workspace_id, name, email, phone, notes, created_at)
			VALUES (?, ?, ?, '', '', '', ?)`, contactID, s.ws, m.name, at); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO contact_identities (channel_id, handle, contact_id, workspace_id, blocked, created_at)
			VALUES (?, ?, ?, ?, 0, ?)`, m.channel, m.handle, contactID, s.ws, at); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}

	var (
		convID  string
		version int64
		raw     []byte
		doc     baselineConvDoc
		first   bool
	)
	err = tx.QueryRowContext(ctx, `SELECT id, version, doc FROM conversations WHERE channel_id = ? AND contact_id = ? AND workspace_id = ?`,
		m.channel, contactID, s.ws).Scan(&convID, &version, &raw)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		first = true
		convID, version = inbox.NewID(), 1
		doc = baselineConvDoc{ContactName: m.name, ContactHandle: m.handle, CreatedAt: at}
		d, _ := json.Marshal(doc)
		if _, err := tx.ExecContext(ctx, `INSERT INTO conversations (id, workspace_id, channel_id, contact_id, status, assignee_id, team_id,
			snoozed_until, last_message_at, updated_at, version, doc, queued_at, offer_expires_at, search)
			VALUES (?, ?, ?, ?, 'bot', '', '', NULL, ?, ?, 1, ?, NULL, NULL, ?)`,
			convID, s.ws, m.channel, contactID, at, at, string(d), baselineSearch(&doc)); err != nil {
			return err
		}
		ev, _ := json.Marshal(map[string]any{"type": "created", "actor": baselineAuthor{Type: "contact", ID: contactID}, "to": "bot",
			"data": map[string]string{"channelId": m.channel}})
		if _, err := tx.ExecContext(ctx, `INSERT INTO events (id, workspace_id, conversation_id, at, doc) VALUES (?, ?, ?, ?, ?)`,
			inbox.NewID(), s.ws, convID, at, string(ev)); err != nil {
			return err
		}
	case err != nil:
		return err
	default:
		if err := json.Unmarshal(raw, &doc); err != nil {
			return err
		}
	}

	if err := s.insertMessage(ctx, tx, convID, m.channel, m.externalID, "in", "",
		baselineMsgDoc{Author: baselineAuthor{Type: "contact", ID: contactID, Name: m.name}, Text: m.text}, at); err != nil {
		return err
	}
	doc.AwaitingReply, doc.AwaitingSince = true, &at
	doc.LastMessageText = m.text
	doc.RecentInbound = append(doc.RecentInbound, at)
	doc.RepeatText, doc.RepeatCount = strings.ToLower(m.text), 1
	if version, err = s.updateConv(ctx, tx, convID, version, &doc, at); err != nil {
		return err
	}

	replies := []string{baselineAnswer}
	if first && s.greeting {
		replies = []string{baselineGreeting, baselineAnswer}
	}
	ids := make([]string, len(replies))
	for i, text := range replies {
		doc.AwaitingReply, doc.AwaitingSince, doc.LastMessageText = false, nil, text
		if version, err = s.updateConv(ctx, tx, convID, version, &doc, at); err != nil {
			return err
		}
		ids[i] = inbox.NewID()
		if err := s.insertMessageID(ctx, tx, ids[i], convID, m.channel, "", "out", "queued",
			baselineMsgDoc{Author: baselineAuthor{Type: "bot", Name: "Bot"}, Text: text}, at); err != nil {
			return err
		}
	}
	if first {
		doc.BotAnswered = true
		if _, err = s.updateConv(ctx, tx, convID, version, &doc, at); err != nil {
			return err
		}
	}
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `UPDATE messages SET lease_until = ? WHERE id = ?`, at+30000, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE messages SET delivery = 'sent', delivery_error = '', lease_until = 0, external_id = ?
			WHERE id = ? AND workspace_id = ? AND delivery IN ('queued')`, "SM"+id, id, s.ws); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func (s *sqlBaseline) insertMessage(ctx context.Context, tx *sql.Tx, conv, channel, ext, dir, delivery string, doc baselineMsgDoc, at int64) error {
	return s.insertMessageID(ctx, tx, inbox.NewID(), conv, channel, ext, dir, delivery, doc, at)
}

func (s *sqlBaseline) insertMessageID(ctx context.Context, tx *sql.Tx, id, conv, channel, ext, dir, delivery string, doc baselineMsgDoc, at int64) error {
	d, _ := json.Marshal(doc)
	_, err := tx.ExecContext(ctx, `INSERT INTO messages (id, workspace_id, conversation_id, channel_id, external_id, direction,
		delivery, delivery_error, created_at, doc, attempts, next_attempt_at, lease_until)
		VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?, 0, 0, 0)`, id, s.ws, conv, channel, ext, dir, delivery, at, string(d))
	return err
}

// updateConv is the store's conditional conversation update.
func (s *sqlBaseline) updateConv(ctx context.Context, tx *sql.Tx, id string, version int64, doc *baselineConvDoc, at int64) (int64, error) {
	d, _ := json.Marshal(doc)
	res, err := tx.ExecContext(ctx, `UPDATE conversations
		SET status = 'bot', assignee_id = '', team_id = '', snoozed_until = NULL, last_message_at = ?,
			updated_at = ?, version = version + 1, search = ?, doc = ?, queued_at = NULL, offer_expires_at = NULL
		WHERE id = ? AND workspace_id = ? AND version = ?`, at, at, baselineSearch(doc), string(d), id, s.ws, version)
	if err != nil {
		return 0, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return 0, fmt.Errorf("baseline: conversation version %d lost", version)
	}
	return version + 1, nil
}

func baselineSearch(d *baselineConvDoc) string {
	return strings.ToLower(d.ContactName + "\n" + d.ContactHandle + "\n" + d.LastMessageText)
}

// storedCounts reads the row counts the end-of-run check compares, from a
// database file nobody is writing any more.
func storedCounts(ctx context.Context, path string) (map[string]int, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=query_only(1)&_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	out := map[string]int{}
	for name, q := range map[string]string{
		"contacts":      `SELECT count(*) FROM contacts`,
		"conversations": `SELECT count(*) FROM conversations`,
		"events":        `SELECT count(*) FROM events`,
		"in":            `SELECT count(*) FROM messages WHERE direction = 'in'`,
		"out":           `SELECT count(*) FROM messages WHERE direction = 'out'`,
		"out sent":      `SELECT count(*) FROM messages WHERE direction = 'out' AND delivery = 'sent'`,
		"bot status":    `SELECT count(*) FROM conversations WHERE status = 'bot'`,
	} {
		var n int
		if err := db.QueryRowContext(ctx, q).Scan(&n); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out[name] = n
	}
	return out, nil
}
