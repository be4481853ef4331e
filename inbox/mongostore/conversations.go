package mongostore

import (
	"context"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"hub/inbox"
)

type conversationDoc struct {
	ID          string `bson:"_id"`
	WorkspaceID string `bson:"workspaceId"`
	ChannelID   string `bson:"channelId"`
	ContactID   string `bson:"contactId"`
	Status      string `bson:"status"`
	// AssigneeID and TeamID are stored even when empty so that the
	// unassigned queue is an equality match on "" that an index serves.
	AssigneeID        string     `bson:"assigneeId"`
	TeamID            string     `bson:"teamId"`
	Participants      []string   `bson:"participants"`
	SnoozedUntil      *time.Time `bson:"snoozedUntil,omitempty"`
	SnoozedUntilReply bool       `bson:"snoozedUntilReply"`
	AwaitingReply     bool       `bson:"awaitingReply"`
	AwaitingSince     *time.Time `bson:"awaitingSince,omitempty"`
	BotMisses         int        `bson:"botMisses"`
	ContactName       string     `bson:"contactName"`
	ContactHandle     string     `bson:"contactHandle"`
	LastMessageText   string     `bson:"lastMessageText"`
	LastMessageAt     time.Time  `bson:"lastMessageAt"`
	CreatedAt         time.Time  `bson:"createdAt"`
	UpdatedAt         time.Time  `bson:"updatedAt"`
	ClosedAt          *time.Time `bson:"closedAt,omitempty"`
	ClosedBy          string     `bson:"closedBy"`
	WrapUp            *wrapUpDoc `bson:"wrapUp,omitempty"`
	CSAT              *csatDoc   `bson:"csat,omitempty"`
	ThreadRef         string     `bson:"threadRef"`
	OptedOut          bool       `bson:"optedOut"`
	LastButtons       []string   `bson:"lastButtons"`
	SurveyUntil       *time.Time `bson:"surveyUntil,omitempty"`
	BotAnswered       bool       `bson:"botAnswered"`
	// Routing. queuedAt is absent while the conversation is in no queue,
	// which sorts before every time, as "oldest"; offer.expiresAt is what
	// ListOffersDue ranges over.
	QueuedAt      *time.Time  `bson:"queuedAt,omitempty"`
	Offer         *offerDoc   `bson:"offer,omitempty"`
	OfferAttempts int         `bson:"offerAttempts"`
	Invites       []inviteDoc `bson:"invites"`
	// The spam rule's state (hidden from the API, not from the store).
	RecentInbound []time.Time `bson:"recentInbound"`
	RepeatText    string      `bson:"repeatText"`
	RepeatCount   int         `bson:"repeatCount"`
	// The bot's bookkeeping for provider retries (inbox.Conversation
	// documents them); absent on documents written before them, which
	// reads as empty. Stored even when empty, so an update clears them.
	LastInboundID    string `bson:"lastInboundId"`
	BotTurnMessageID string `bson:"botTurnMessageId"`
	GreetMessageID   string `bson:"greetMessageId"`
	Version          int64  `bson:"version"`
	// ReleaseToken marks the ReleaseDueHolds call that last released the
	// conversation, so that call can read back exactly what it released.
	ReleaseToken string `bson:"releaseToken,omitempty"`
}

// optionalConvFields are the omitempty fields an update must $unset when
// the conversation no longer has them; $set alone would keep old values.
var optionalConvFields = []string{"snoozedUntil", "awaitingSince", "closedAt", "wrapUp", "csat", "surveyUntil",
	"queuedAt", "offer"}

type wrapUpDoc struct {
	Topic  string `bson:"topic"`
	Mood   string `bson:"mood"`
	Unsure bool   `bson:"unsure"`
	Survey bool   `bson:"survey"`
}

type csatDoc struct {
	Score int       `bson:"score"`
	At    time.Time `bson:"at"`
}

type offerDoc struct {
	AgentID     string    `bson:"agentId"`
	Kind        string    `bson:"kind"`
	FromAgentID string    `bson:"fromAgentId"`
	At          time.Time `bson:"at"`
	ExpiresAt   time.Time `bson:"expiresAt"`
}

type inviteDoc struct {
	AgentID     string    `bson:"agentId"`
	FromAgentID string    `bson:"fromAgentId"`
	ExpiresAt   time.Time `bson:"expiresAt"`
}

func toConversationDoc(c *inbox.Conversation) conversationDoc {
	d := conversationDoc{
		ID:                c.ID,
		WorkspaceID:       c.WorkspaceID,
		ChannelID:         c.ChannelID,
		ContactID:         c.ContactID,
		Status:            string(c.Status),
		AssigneeID:        c.AssigneeID,
		TeamID:            c.TeamID,
		Participants:      nonNil(c.Participants),
		SnoozedUntil:      c.SnoozedUntil,
		SnoozedUntilReply: c.SnoozedUntilReply,
		AwaitingReply:     c.AwaitingReply,
		AwaitingSince:     c.AwaitingSince,
		BotMisses:         c.BotMisses,
		ContactName:       c.ContactName,
		ContactHandle:     c.ContactHandle,
		LastMessageText:   c.LastMessageText,
		LastMessageAt:     c.LastMessageAt,
		CreatedAt:         c.CreatedAt,
		UpdatedAt:         c.UpdatedAt,
		ClosedAt:          c.ClosedAt,
		ClosedBy:          c.ClosedBy,
		ThreadRef:         c.ThreadRef,
		OptedOut:          c.OptedOut,
		LastButtons:       nonNil(c.LastButtons),
		SurveyUntil:       c.SurveyUntil,
		BotAnswered:       c.BotAnswered,
		QueuedAt:          c.QueuedAt,
		OfferAttempts:     c.OfferAttempts,
		Invites:           make([]inviteDoc, len(c.Invites)),
		RecentInbound:     nonNil(c.RecentInbound),
		RepeatText:        c.RepeatText,
		RepeatCount:       c.RepeatCount,
		LastInboundID:     c.LastInboundID,
		BotTurnMessageID:  c.BotTurnMessageID,
		GreetMessageID:    c.GreetMessageID,
		Version:           c.Version,
	}
	if c.WrapUp != nil {
		d.WrapUp = &wrapUpDoc{Topic: c.WrapUp.Topic, Mood: c.WrapUp.Mood, Unsure: c.WrapUp.Unsure, Survey: c.WrapUp.Survey}
	}
	if c.CSAT != nil {
		d.CSAT = &csatDoc{Score: c.CSAT.Score, At: c.CSAT.At}
	}
	if o := c.Offer; o != nil {
		d.Offer = &offerDoc{AgentID: o.AgentID, Kind: o.Kind, FromAgentID: o.FromAgentID, At: o.At, ExpiresAt: o.ExpiresAt}
	}
	for i, inv := range c.Invites {
		d.Invites[i] = inviteDoc{AgentID: inv.AgentID, FromAgentID: inv.FromAgentID, ExpiresAt: inv.ExpiresAt}
	}
	return d
}

func (d *conversationDoc) toConversation() inbox.Conversation {
	c := inbox.Conversation{
		ID:                d.ID,
		WorkspaceID:       d.WorkspaceID,
		ChannelID:         d.ChannelID,
		ContactID:         d.ContactID,
		Status:            inbox.Status(d.Status),
		AssigneeID:        d.AssigneeID,
		TeamID:            d.TeamID,
		Participants:      d.Participants,
		SnoozedUntil:      utcPtr(d.SnoozedUntil),
		SnoozedUntilReply: d.SnoozedUntilReply,
		AwaitingReply:     d.AwaitingReply,
		AwaitingSince:     utcPtr(d.AwaitingSince),
		BotMisses:         d.BotMisses,
		ContactName:       d.ContactName,
		ContactHandle:     d.ContactHandle,
		LastMessageText:   d.LastMessageText,
		LastMessageAt:     utc(d.LastMessageAt),
		CreatedAt:         utc(d.CreatedAt),
		UpdatedAt:         utc(d.UpdatedAt),
		ClosedAt:          utcPtr(d.ClosedAt),
		ClosedBy:          d.ClosedBy,
		ThreadRef:         d.ThreadRef,
		OptedOut:          d.OptedOut,
		SurveyUntil:       utcPtr(d.SurveyUntil),
		BotAnswered:       d.BotAnswered,
		QueuedAt:          utcPtr(d.QueuedAt),
		OfferAttempts:     d.OfferAttempts,
		RepeatText:        d.RepeatText,
		RepeatCount:       d.RepeatCount,
		LastInboundID:     d.LastInboundID,
		BotTurnMessageID:  d.BotTurnMessageID,
		GreetMessageID:    d.GreetMessageID,
		Version:           d.Version,
	}
	// Empty lists read back as nil, the zero value the service starts from.
	if len(d.LastButtons) > 0 {
		c.LastButtons = d.LastButtons
	}
	if len(d.RecentInbound) > 0 {
		c.RecentInbound = make([]time.Time, len(d.RecentInbound))
		for i, t := range d.RecentInbound {
			c.RecentInbound[i] = utc(t)
		}
	}
	if d.WrapUp != nil {
		c.WrapUp = &inbox.WrapUp{Topic: d.WrapUp.Topic, Mood: d.WrapUp.Mood, Unsure: d.WrapUp.Unsure, Survey: d.WrapUp.Survey}
	}
	if d.CSAT != nil {
		c.CSAT = &inbox.CSAT{Score: d.CSAT.Score, At: utc(d.CSAT.At)}
	}
	if o := d.Offer; o != nil {
		c.Offer = &inbox.Offer{AgentID: o.AgentID, Kind: o.Kind, FromAgentID: o.FromAgentID, At: utc(o.At), ExpiresAt: utc(o.ExpiresAt)}
	}
	if len(d.Invites) > 0 {
		c.Invites = make([]inbox.Invite, len(d.Invites))
		for i, inv := range d.Invites {
			c.Invites[i] = inbox.Invite{AgentID: inv.AgentID, FromAgentID: inv.FromAgentID, ExpiresAt: utc(inv.ExpiresAt)}
		}
	}
	return c
}

// CreateConversation stores c with Version 1. The unique index on
// (channelId, contactId) refuses a second thread for the same contact.
func (s *Store) CreateConversation(ctx context.Context, c *inbox.Conversation) error {
	d := toConversationDoc(c)
	d.Version = 1
	if _, err := s.conversations.InsertOne(ctx, d); err != nil {
		return s.fail("create conversation", err)
	}
	c.Version = 1
	return nil
}

// GetConversation returns the workspace's conversation with that id.
func (s *Store) GetConversation(ctx context.Context, workspaceID, id string) (*inbox.Conversation, error) {
	if s.lockWrites {
		d, err := s.conversationByID(ctx, workspaceID, id)
		if err != nil {
			return nil, s.fail("get conversation", err)
		}
		c := d.toConversation()
		return &c, nil
	}
	c, err := findOne(ctx, s.conversations, byID(workspaceID, id), (*conversationDoc).toConversation)
	if err != nil {
		return nil, s.fail("get conversation", err)
	}
	return &c, nil
}

// FindConversation returns the thread of contactID on channelID.
func (s *Store) FindConversation(ctx context.Context, workspaceID, channelID, contactID string) (*inbox.Conversation, error) {
	filter := bson.D{
		{Key: "channelId", Value: channelID},
		{Key: "contactId", Value: contactID},
		{Key: "workspaceId", Value: workspaceID},
	}
	c, err := findOne(ctx, s.conversations, filter, (*conversationDoc).toConversation)
	if err != nil {
		return nil, s.fail("find conversation", err)
	}
	return &c, nil
}

// UpdateConversation replaces the stored conversation with c when the
// stored version is still c.Version: one conditional update, whose
// filter carries the workspace and the version, so a stale or foreign
// write matches nothing and changes nothing. On FerretDB the same checks
// run under the conversation's lock instead (updateConversationLocked).
func (s *Store) UpdateConversation(ctx context.Context, c *inbox.Conversation) error {
	set, unset, err := conversationChanges(c)
	if err != nil {
		return err
	}
	update := bson.D{{Key: "$set", Value: set}}
	if len(unset) > 0 {
		update = append(update, bson.E{Key: "$unset", Value: unset})
	}
	if s.lockWrites {
		return s.updateConversationLocked(ctx, c, update)
	}
	filter := append(byID(c.WorkspaceID, c.ID), bson.E{Key: "version", Value: c.Version})
	res, err := s.conversations.UpdateOne(ctx, filter, update)
	if err != nil {
		return s.fail("update conversation", err)
	}
	if res.MatchedCount == 0 {
		return s.missOrConflict(ctx, c.WorkspaceID, c.ID)
	}
	c.Version++
	return nil
}

// conversationChanges is the $set and $unset of a full update to c at
// version c.Version+1. The id and workspace never change (they are in
// the filter) and the release token is the releaser's, so those three
// are left alone.
func conversationChanges(c *inbox.Conversation) (set, unset bson.D, err error) {
	d := toConversationDoc(c)
	d.Version = c.Version + 1
	raw, err := bson.Marshal(d)
	if err != nil {
		return nil, nil, fmt.Errorf("mongostore: encode conversation: %w", err)
	}
	elems, err := bson.Raw(raw).Elements()
	if err != nil {
		return nil, nil, fmt.Errorf("mongostore: encode conversation: %w", err)
	}
	present := map[string]bool{}
	for _, e := range elems {
		k := e.Key()
		present[k] = true
		if k == "_id" || k == "workspaceId" || k == "releaseToken" {
			continue
		}
		set = append(set, bson.E{Key: k, Value: e.Value()})
	}
	for _, k := range optionalConvFields {
		if !present[k] {
			unset = append(unset, bson.E{Key: k, Value: ""})
		}
	}
	return set, unset, nil
}

// missOrConflict explains an update that matched nothing: the
// conversation is not in the workspace, or its version moved on.
func (s *Store) missOrConflict(ctx context.Context, workspaceID, id string) error {
	err := s.conversations.FindOne(ctx, byID(workspaceID, id),
		options.FindOne().SetProjection(bson.D{{Key: "_id", Value: 1}})).Err()
	if err != nil {
		return s.fail("update conversation", err)
	}
	return inbox.ErrConflict
}

// sortLike orders convs like ids, for results read back in server order.
func sortLike(convs []inbox.Conversation, ids []string) {
	pos := make(map[string]int, len(ids))
	for i, id := range ids {
		pos[id] = i
	}
	slices.SortFunc(convs, func(a, b inbox.Conversation) int { return pos[a.ID] - pos[b.ID] })
}
