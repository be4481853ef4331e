package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"hub/inbox"
)

// convDoc is the part of a conversation kept in the doc column: every field
// that is not a column of its own. Status, snooze time, version and update
// time are columns only, which is what lets ReleaseDueHolds be one UPDATE.
// So are the queue time and the offer's expiry, which ListQueue and
// ListOffersDue query; the rest of the offer is here, present exactly when
// the offer_expires_at column is set.
type convDoc struct {
	Participants      []string      `json:"participants,omitempty"`
	SnoozedUntilReply bool          `json:"snoozedUntilReply,omitempty"`
	AwaitingReply     bool          `json:"awaitingReply,omitempty"`
	AwaitingSince     *int64        `json:"awaitingSince,omitempty"`
	BotMisses         int           `json:"botMisses,omitempty"`
	ContactName       string        `json:"contactName,omitempty"`
	ContactHandle     string        `json:"contactHandle,omitempty"`
	LastMessageText   string        `json:"lastMessageText,omitempty"`
	CreatedAt         int64         `json:"createdAt"`
	ClosedAt          *int64        `json:"closedAt,omitempty"`
	ClosedBy          string        `json:"closedBy,omitempty"`
	WrapUp            *inbox.WrapUp `json:"wrapUp,omitempty"`
	CSAT              *csatDoc      `json:"csat,omitempty"`
	ThreadRef         string        `json:"threadRef,omitempty"`
	OptedOut          bool          `json:"optedOut,omitempty"`
	LastButtons       []string      `json:"lastButtons,omitempty"`
	SurveyUntil       *int64        `json:"surveyUntil,omitempty"`
	BotAnswered       bool          `json:"botAnswered,omitempty"`
	Offer             *offerDoc     `json:"offer,omitempty"`
	OfferAttempts     int           `json:"offerAttempts,omitempty"`
	Invites           []inviteDoc   `json:"invites,omitempty"`
	// The spam rule's state, hidden from the API (json:"-" on
	// inbox.Conversation) but kept here under names of its own.
	RecentInbound []int64 `json:"recentInbound,omitempty"`
	RepeatText    string  `json:"repeatText,omitempty"`
	RepeatCount   int     `json:"repeatCount,omitempty"`
	// The bot's bookkeeping for provider retries (inbox.Conversation
	// documents them); absent on conversations written before them.
	LastInboundID    string `json:"lastInboundId,omitempty"`
	BotTurnMessageID string `json:"botTurnMessageId,omitempty"`
	GreetMessageID   string `json:"greetMessageId,omitempty"`
}

type csatDoc struct {
	Score int   `json:"score"`
	At    int64 `json:"at"`
}

// offerDoc is an offer without its expiry (the offer_expires_at column).
type offerDoc struct {
	AgentID     string `json:"agentId"`
	Kind        string `json:"kind,omitempty"`
	FromAgentID string `json:"fromAgentId,omitempty"`
	At          int64  `json:"at"`
}

type inviteDoc struct {
	AgentID     string `json:"agentId"`
	FromAgentID string `json:"fromAgentId,omitempty"`
	ExpiresAt   int64  `json:"expiresAt"`
}

// offerExpiry is the offer_expires_at column of c: NULL without an offer.
func offerExpiry(c *inbox.Conversation) sql.NullInt64 {
	if c.Offer == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: ms(c.Offer.ExpiresAt), Valid: true}
}

func encodeConv(c *inbox.Conversation) (string, error) {
	d := convDoc{
		Participants:      c.Participants,
		SnoozedUntilReply: c.SnoozedUntilReply,
		AwaitingReply:     c.AwaitingReply,
		AwaitingSince:     msPtr(c.AwaitingSince),
		BotMisses:         c.BotMisses,
		ContactName:       c.ContactName,
		ContactHandle:     c.ContactHandle,
		LastMessageText:   c.LastMessageText,
		CreatedAt:         ms(c.CreatedAt),
		ClosedAt:          msPtr(c.ClosedAt),
		ClosedBy:          c.ClosedBy,
		WrapUp:            c.WrapUp,
		ThreadRef:         c.ThreadRef,
		OptedOut:          c.OptedOut,
		LastButtons:       c.LastButtons,
		SurveyUntil:       msPtr(c.SurveyUntil),
		BotAnswered:       c.BotAnswered,
		OfferAttempts:     c.OfferAttempts,
		RepeatText:        c.RepeatText,
		RepeatCount:       c.RepeatCount,
		LastInboundID:     c.LastInboundID,
		BotTurnMessageID:  c.BotTurnMessageID,
		GreetMessageID:    c.GreetMessageID,
	}
	if c.CSAT != nil {
		d.CSAT = &csatDoc{Score: c.CSAT.Score, At: ms(c.CSAT.At)}
	}
	if o := c.Offer; o != nil {
		d.Offer = &offerDoc{AgentID: o.AgentID, Kind: o.Kind, FromAgentID: o.FromAgentID, At: ms(o.At)}
	}
	for _, inv := range c.Invites {
		d.Invites = append(d.Invites, inviteDoc{AgentID: inv.AgentID, FromAgentID: inv.FromAgentID, ExpiresAt: ms(inv.ExpiresAt)})
	}
	if len(c.RecentInbound) > 0 {
		d.RecentInbound = make([]int64, len(c.RecentInbound))
		for i, t := range c.RecentInbound {
			d.RecentInbound[i] = ms(t)
		}
	}
	return jsonText(d)
}

// searchText is what ConversationFilter.Query is matched against. The
// newlines keep a query from matching across two fields.
func searchText(c *inbox.Conversation) string {
	return strings.ToLower(c.ContactName + "\n" + c.ContactHandle + "\n" + c.LastMessageText)
}

const convCols = `id, workspace_id, channel_id, contact_id, status, assignee_id, team_id,
	snoozed_until, last_message_at, updated_at, version, doc, queued_at, offer_expires_at`

func scanConv(sc scanner) (*inbox.Conversation, error) {
	var (
		c                 inbox.Conversation
		snoozed           sql.NullInt64
		queued, offerExp  sql.NullInt64
		lastAt, updatedAt int64
		doc               []byte
		d                 convDoc
	)
	if err := sc.Scan(&c.ID, &c.WorkspaceID, &c.ChannelID, &c.ContactID, &c.Status, &c.AssigneeID, &c.TeamID,
		&snoozed, &lastAt, &updatedAt, &c.Version, &doc, &queued, &offerExp); err != nil {
		return nil, mapErr(err)
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, fmt.Errorf("conversation %s: %w", c.ID, err)
	}
	c.SnoozedUntil = fromNullMs(snoozed)
	c.LastMessageAt = fromMs(lastAt)
	c.UpdatedAt = fromMs(updatedAt)
	c.Participants = d.Participants
	if c.Participants == nil {
		// The API shows participants as a list, never null.
		c.Participants = []string{}
	}
	c.SnoozedUntilReply = d.SnoozedUntilReply
	c.AwaitingReply = d.AwaitingReply
	c.AwaitingSince = fromMsPtr(d.AwaitingSince)
	c.BotMisses = d.BotMisses
	c.ContactName = d.ContactName
	c.ContactHandle = d.ContactHandle
	c.LastMessageText = d.LastMessageText
	c.CreatedAt = fromMs(d.CreatedAt)
	c.ClosedAt = fromMsPtr(d.ClosedAt)
	c.ClosedBy = d.ClosedBy
	c.WrapUp = d.WrapUp
	c.ThreadRef = d.ThreadRef
	c.OptedOut = d.OptedOut
	c.LastButtons = d.LastButtons
	c.SurveyUntil = fromMsPtr(d.SurveyUntil)
	c.BotAnswered = d.BotAnswered
	c.QueuedAt = fromNullMs(queued)
	c.OfferAttempts = d.OfferAttempts
	if offerExp.Valid {
		c.Offer = &inbox.Offer{ExpiresAt: fromMs(offerExp.Int64)}
		if o := d.Offer; o != nil {
			c.Offer.AgentID, c.Offer.Kind, c.Offer.FromAgentID, c.Offer.At = o.AgentID, o.Kind, o.FromAgentID, fromMs(o.At)
		}
	}
	if len(d.Invites) > 0 {
		c.Invites = make([]inbox.Invite, len(d.Invites))
		for i, inv := range d.Invites {
			c.Invites[i] = inbox.Invite{AgentID: inv.AgentID, FromAgentID: inv.FromAgentID, ExpiresAt: fromMs(inv.ExpiresAt)}
		}
	}
	c.RepeatText = d.RepeatText
	c.RepeatCount = d.RepeatCount
	c.LastInboundID = d.LastInboundID
	c.BotTurnMessageID = d.BotTurnMessageID
	c.GreetMessageID = d.GreetMessageID
	if d.CSAT != nil {
		c.CSAT = &inbox.CSAT{Score: d.CSAT.Score, At: fromMs(d.CSAT.At)}
	}
	if len(d.RecentInbound) > 0 {
		c.RecentInbound = make([]time.Time, len(d.RecentInbound))
		for i, v := range d.RecentInbound {
			c.RecentInbound[i] = fromMs(v)
		}
	}
	return &c, nil
}

// CreateConversation stores c with Version 1, giving it an id and times if
// missing.
func (s *Store) CreateConversation(ctx context.Context, c *inbox.Conversation) error {
	newID(&c.ID)
	c.CreatedAt = orNow(c.CreatedAt)
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = c.CreatedAt
	}
	if c.LastMessageAt.IsZero() {
		c.LastMessageAt = c.CreatedAt
	}
	doc, err := encodeConv(c)
	if err != nil {
		return err
	}
	_, err = s.w.ExecContext(ctx, `INSERT INTO conversations (`+convCols+`, search)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`,
		c.ID, c.WorkspaceID, c.ChannelID, c.ContactID, string(c.Status), c.AssigneeID, c.TeamID,
		nullMs(c.SnoozedUntil), ms(c.LastMessageAt), ms(c.UpdatedAt), doc,
		nullMs(c.QueuedAt), offerExpiry(c), searchText(c))
	if err != nil {
		return mapErr(err)
	}
	c.Version = 1
	return nil
}

// GetConversation returns the workspace's conversation with that id.
func (s *Store) GetConversation(ctx context.Context, workspaceID, id string) (*inbox.Conversation, error) {
	return scanConv(s.r.QueryRowContext(ctx,
		`SELECT `+convCols+` FROM conversations WHERE id = ? AND workspace_id = ?`, id, workspaceID))
}

// FindConversation returns the conversation of contactID on channelID.
func (s *Store) FindConversation(ctx context.Context, workspaceID, channelID, contactID string) (*inbox.Conversation, error) {
	return scanConv(s.r.QueryRowContext(ctx, `SELECT `+convCols+` FROM conversations
		WHERE channel_id = ? AND contact_id = ? AND workspace_id = ?`, channelID, contactID, workspaceID))
}

// UpdateConversation stores c if the stored version is still c.Version.
// The channel and contact of a conversation never change and are not
// written.
func (s *Store) UpdateConversation(ctx context.Context, c *inbox.Conversation) error {
	doc, err := encodeConv(c)
	if err != nil {
		return err
	}
	res, err := s.w.ExecContext(ctx, `UPDATE conversations
		SET status = ?, assignee_id = ?, team_id = ?, snoozed_until = ?, last_message_at = ?,
			updated_at = ?, version = version + 1, search = ?, doc = ?,
			queued_at = ?, offer_expires_at = ?
		WHERE id = ? AND workspace_id = ? AND version = ?`,
		string(c.Status), c.AssigneeID, c.TeamID, nullMs(c.SnoozedUntil), ms(c.LastMessageAt),
		ms(c.UpdatedAt), searchText(c), doc, nullMs(c.QueuedAt), offerExpiry(c),
		c.ID, c.WorkspaceID, c.Version)
	if err != nil {
		return mapErr(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 1 {
		c.Version++
		return nil
	}
	// No row matched: tell a lost race from a wrong id.
	var one int
	err = s.r.QueryRowContext(ctx, `SELECT 1 FROM conversations WHERE id = ? AND workspace_id = ?`,
		c.ID, c.WorkspaceID).Scan(&one)
	if err != nil {
		return mapErr(err)
	}
	return fmt.Errorf("%w: conversation %s changed since version %d was read", inbox.ErrConflict, c.ID, c.Version)
}

// maxPage bounds a page however large a limit the caller asks for; the
// cursor still reaches every row.
const maxPage = 500

// ListConversations returns one page, newest activity first.
func (s *Store) ListConversations(ctx context.Context, f inbox.ConversationFilter) ([]inbox.Conversation, string, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, maxPage)
	where := []string{"workspace_id = ?"}
	args := []any{f.WorkspaceID}
	if len(f.Statuses) > 0 {
		where = append(where, "status IN (?"+strings.Repeat(", ?", len(f.Statuses)-1)+")")
		for _, st := range f.Statuses {
			args = append(args, string(st))
		}
	}
	switch f.AssigneeID {
	case "":
	case inbox.Unassigned:
		where = append(where, "assignee_id = ''")
	default:
		where = append(where, "assignee_id = ?")
		args = append(args, f.AssigneeID)
	}
	if f.TeamID != "" {
		where = append(where, "team_id = ?")
		args = append(args, f.TeamID)
	}
	if q := strings.ToLower(strings.TrimSpace(f.Query)); q != "" {
		// instr, unlike LIKE, gives no character a special meaning.
		where = append(where, "instr(search, ?) > 0")
		args = append(args, q)
	}
	if f.Cursor != "" {
		cur, err := inbox.DecodeCursor(f.Cursor)
		if err != nil {
			return nil, "", err
		}
		where = append(where, "(last_message_at, id) < (?, ?)")
		args = append(args, ms(cur.LastMessageAt), cur.ID)
	}
	// One extra row tells whether there is a next page.
	args = append(args, limit+1)
	rows, err := s.r.QueryContext(ctx, `SELECT `+convCols+` FROM conversations WHERE `+
		strings.Join(where, " AND ")+` ORDER BY last_message_at DESC, id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, "", err
	}
	page, err := collectRows(rows, scanConv)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(page) > limit {
		page = page[:limit]
		next = inbox.EncodeCursor(&page[limit-1])
	}
	return page, next, nil
}

// ReleaseDueHolds reopens up to limit overdue holds in one statement: the
// writer runs it alone, so no two callers can pick the same row, and the
// subquery walks the holds index from the oldest due time. It changes
// only column fields; RETURNING convCols gives back whole conversations,
// queue time and offer included.
func (s *Store) ReleaseDueHolds(ctx context.Context, now time.Time, limit int) ([]inbox.Conversation, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := s.w.QueryContext(ctx, `UPDATE conversations
		SET status = 'open', snoozed_until = NULL, version = version + 1, updated_at = ?
		WHERE status = 'pending' AND id IN (
			SELECT id FROM conversations
			WHERE status = 'pending' AND snoozed_until <= ?
			ORDER BY snoozed_until LIMIT ?)
		RETURNING `+convCols,
		ms(now), ms(now), limit)
	if err != nil {
		return nil, err
	}
	return collectRows(rows, scanConv)
}
