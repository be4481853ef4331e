package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"hub/inbox"
)

type workspaceDoc struct {
	ID        string      `bson:"_id"`
	Name      string      `bson:"name"`
	Settings  settingsDoc `bson:"settings"`
	CreatedAt time.Time   `bson:"createdAt"`
}

type settingsDoc struct {
	TimeZone            string            `bson:"timeZone"`
	BotGreeting         string            `bson:"botGreeting"`
	BotHandoffAfter     int               `bson:"botHandoffAfter"`
	BotFallback         string            `bson:"botFallback"`
	HandoffNotice       string            `bson:"handoffNotice"`
	BusinessHours       []openingHoursDoc `bson:"businessHours"`
	OutOfHoursNotice    string            `bson:"outOfHoursNotice"`
	BotIdleCloseMinutes int               `bson:"botIdleCloseMinutes"`
	SurveyWindowMinutes int               `bson:"surveyWindowMinutes"`
	SurveyQuestion      string            `bson:"surveyQuestion"`
	WrapUpTopics        []string          `bson:"wrapUpTopics"`
	SpamMaxMessages     int               `bson:"spamMaxMessages"`
	SpamWindowSeconds   int               `bson:"spamWindowSeconds"`
	SpamMaxRepeats      int               `bson:"spamMaxRepeats"`
	SpamMaxLinks        int               `bson:"spamMaxLinks"`
	SpamBlocklist       []string          `bson:"spamBlocklist"`
	// Routing.
	RoutingMode          string `bson:"routingMode"`
	MaxOpenPerAgent      int    `bson:"maxOpenPerAgent"`
	OfferTimeoutSeconds  int    `bson:"offerTimeoutSeconds"`
	MaxOfferAttempts     int    `bson:"maxOfferAttempts"`
	OfflineGraceSeconds  int    `bson:"offlineGraceSeconds"`
	HoldToQueueIfOffline bool   `bson:"holdToQueueIfOffline"`
	IdleCloseMinutes     int    `bson:"idleCloseMinutes"`
	// Saved replies.
	CannedAnswers []cannedAnswerDoc `bson:"cannedAnswers"`
}

type cannedAnswerDoc struct {
	ID       string `bson:"id"`
	Shortcut string `bson:"shortcut"`
	Text     string `bson:"text"`
}

type openingHoursDoc struct {
	Day   int    `bson:"day"`
	Open  string `bson:"open"`
	Close string `bson:"close"`
}

func toSettingsDoc(s inbox.WorkspaceSettings) settingsDoc {
	d := settingsDoc{
		TimeZone:             s.TimeZone,
		BotGreeting:          s.BotGreeting,
		BotHandoffAfter:      s.BotHandoffAfter,
		BotFallback:          s.BotFallback,
		HandoffNotice:        s.HandoffNotice,
		BusinessHours:        make([]openingHoursDoc, len(s.BusinessHours)),
		OutOfHoursNotice:     s.OutOfHoursNotice,
		BotIdleCloseMinutes:  s.BotIdleCloseMinutes,
		SurveyWindowMinutes:  s.SurveyWindowMinutes,
		SurveyQuestion:       s.SurveyQuestion,
		WrapUpTopics:         nonNil(s.WrapUpTopics),
		SpamMaxMessages:      s.SpamMaxMessages,
		SpamWindowSeconds:    s.SpamWindowSeconds,
		SpamMaxRepeats:       s.SpamMaxRepeats,
		SpamMaxLinks:         s.SpamMaxLinks,
		SpamBlocklist:        nonNil(s.SpamBlocklist),
		RoutingMode:          s.RoutingMode,
		MaxOpenPerAgent:      s.MaxOpenPerAgent,
		OfferTimeoutSeconds:  s.OfferTimeoutSeconds,
		MaxOfferAttempts:     s.MaxOfferAttempts,
		OfflineGraceSeconds:  s.OfflineGraceSeconds,
		HoldToQueueIfOffline: s.HoldToQueueIfOffline,
		IdleCloseMinutes:     s.IdleCloseMinutes,
		CannedAnswers:        make([]cannedAnswerDoc, len(s.CannedAnswers)),
	}
	for i, h := range s.BusinessHours {
		d.BusinessHours[i] = openingHoursDoc{Day: h.Day, Open: h.Open, Close: h.Close}
	}
	for i, a := range s.CannedAnswers {
		d.CannedAnswers[i] = cannedAnswerDoc{ID: a.ID, Shortcut: a.Shortcut, Text: a.Text}
	}
	return d
}

// toSettings reads settings back. Documents written before a field existed
// lack it and give its zero value, which every setting documents as "the
// default".
func (d *settingsDoc) toSettings() inbox.WorkspaceSettings {
	s := inbox.WorkspaceSettings{
		TimeZone:             d.TimeZone,
		BotGreeting:          d.BotGreeting,
		BotHandoffAfter:      d.BotHandoffAfter,
		BotFallback:          d.BotFallback,
		HandoffNotice:        d.HandoffNotice,
		OutOfHoursNotice:     d.OutOfHoursNotice,
		BotIdleCloseMinutes:  d.BotIdleCloseMinutes,
		SurveyWindowMinutes:  d.SurveyWindowMinutes,
		SurveyQuestion:       d.SurveyQuestion,
		WrapUpTopics:         d.WrapUpTopics,
		SpamMaxMessages:      d.SpamMaxMessages,
		SpamWindowSeconds:    d.SpamWindowSeconds,
		SpamMaxRepeats:       d.SpamMaxRepeats,
		SpamMaxLinks:         d.SpamMaxLinks,
		SpamBlocklist:        d.SpamBlocklist,
		RoutingMode:          d.RoutingMode,
		MaxOpenPerAgent:      d.MaxOpenPerAgent,
		OfferTimeoutSeconds:  d.OfferTimeoutSeconds,
		MaxOfferAttempts:     d.MaxOfferAttempts,
		OfflineGraceSeconds:  d.OfflineGraceSeconds,
		HoldToQueueIfOffline: d.HoldToQueueIfOffline,
		IdleCloseMinutes:     d.IdleCloseMinutes,
	}
	if len(d.BusinessHours) > 0 {
		s.BusinessHours = make([]inbox.OpeningHours, len(d.BusinessHours))
		for i, h := range d.BusinessHours {
			s.BusinessHours[i] = inbox.OpeningHours{Day: h.Day, Open: h.Open, Close: h.Close}
		}
	}
	if len(d.CannedAnswers) > 0 {
		s.CannedAnswers = make([]inbox.CannedAnswer, len(d.CannedAnswers))
		for i, a := range d.CannedAnswers {
			s.CannedAnswers[i] = inbox.CannedAnswer{ID: a.ID, Shortcut: a.Shortcut, Text: a.Text}
		}
	}
	return s
}

func (d *workspaceDoc) toWorkspace() inbox.Workspace {
	return inbox.Workspace{
		ID:        d.ID,
		Name:      d.Name,
		Settings:  d.Settings.toSettings(),
		CreatedAt: utc(d.CreatedAt),
	}
}

// CreateWorkspace stores a new workspace; an existing id is ErrDuplicate.
func (s *Store) CreateWorkspace(ctx context.Context, w *inbox.Workspace) error {
	d := workspaceDoc{ID: w.ID, Name: w.Name, Settings: toSettingsDoc(w.Settings), CreatedAt: w.CreatedAt}
	_, err := s.workspaces.InsertOne(ctx, d)
	return s.fail("create workspace", err)
}

// GetWorkspace returns the workspace with that id.
func (s *Store) GetWorkspace(ctx context.Context, id string) (*inbox.Workspace, error) {
	w, err := findOne(ctx, s.workspaces, bson.D{{Key: "_id", Value: id}}, (*workspaceDoc).toWorkspace)
	if err != nil {
		return nil, s.fail("get workspace", err)
	}
	return &w, nil
}

// ListWorkspaces returns every workspace, oldest first: the server
// owner's view, not a tenant's.
func (s *Store) ListWorkspaces(ctx context.Context) ([]inbox.Workspace, error) {
	opts := options.Find().SetSort(bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}})
	out, err := findAll(ctx, s.workspaces, bson.D{}, opts, (*workspaceDoc).toWorkspace)
	return out, s.fail("list workspaces", err)
}

// UpdateWorkspace stores the name and settings; the creation time is
// kept as first stored.
func (s *Store) UpdateWorkspace(ctx context.Context, w *inbox.Workspace) error {
	res, err := s.workspaces.UpdateOne(ctx, bson.D{{Key: "_id", Value: w.ID}}, bson.D{{Key: "$set", Value: bson.D{
		{Key: "name", Value: w.Name},
		{Key: "settings", Value: toSettingsDoc(w.Settings)},
	}}})
	if err != nil {
		return s.fail("update workspace", err)
	}
	return updated(res)
}
