package inbox

import (
	"context"
	"strings"
	"time"
)

// Moods an agent can record at close.
var Moods = []string{"satisfied", "neutral", "unhappy"}

// CloseInput is the wrap-up an agent gives when closing.
type CloseInput struct {
	Topic string
	// Mood is one of Moods, or empty.
	Mood string
	// Unsure is the agent's "I don't know" for the customer's mood.
	Unsure bool
	// Survey sends the satisfaction survey to the customer.
	Survey bool
}

func (in CloseInput) validate() error {
	if len(in.Topic) > 200 {
		return Invalid("topic", "the topic is longer than 200 characters")
	}
	if in.Mood != "" {
		known := false
		for _, m := range Moods {
			known = known || in.Mood == m
		}
		if !known {
			return Invalid("mood", "unknown mood %q (want satisfied, neutral or unhappy)", in.Mood)
		}
		if in.Unsure {
			return Invalid("mood", "give a mood or unsure, not both")
		}
	}
	return nil
}

// Close closes an open or pending conversation with a wrap-up. The bot
// answers the customer's next message again.
func (s *Service) Close(ctx context.Context, actor Actor, conversationID string, in CloseInput) (*Conversation, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	settings, err := s.settings(ctx, actor.WorkspaceID)
	if err != nil {
		return nil, err
	}
	if err := checkTopic(settings, in.Topic); err != nil {
		return nil, err
	}
	surveySent := false
	data := map[string]string{"topic": in.Topic, "mood": in.Mood}
	if in.Unsure {
		data["unsure"] = "true"
	}
	if in.Survey {
		data["survey"] = "true"
	}
	conv, err := s.act(ctx, actor, conversationID, EventClosed, data, func(c *Conversation, now time.Time) error {
		surveySent = false
		if c.Status != StatusOpen && c.Status != StatusPending {
			return conflict("invalid_transition", "only open or pending conversations can be closed (this one is %s)", c.Status)
		}
		if err := mayHandOn(actor, c); err != nil {
			return err
		}
		c.Status = StatusClosed
		closed := now
		c.ClosedAt = &closed
		c.ClosedBy = actor.AgentID
		c.WrapUp = &WrapUp{Topic: in.Topic, Mood: in.Mood, Unsure: in.Unsure, Survey: in.Survey}
		c.SnoozedUntil = nil
		c.SnoozedUntilReply = false
		c.AwaitingReply = false
		c.AwaitingSince = nil
		c.SurveyUntil = nil
		if in.Survey && !c.OptedOut {
			until := now.Add(surveyWindow(settings))
			c.SurveyUntil = &until
			surveySent = true
		}
		return nil
	})
	if err != nil || !surveySent {
		return conv, err
	}
	return conv, s.sendSurvey(ctx, conv, settings)
}

// checkTopic keeps wrap-up topics to the workspace's list, when it has one.
func checkTopic(settings WorkspaceSettings, topic string) error {
	if topic == "" || len(settings.WrapUpTopics) == 0 {
		return nil
	}
	for _, t := range settings.WrapUpTopics {
		if strings.EqualFold(t, topic) {
			return nil
		}
	}
	return Invalid("topic", "%q is not one of the workspace's wrap-up topics", topic)
}

// Reopen brings a closed conversation back to open. If nobody holds it,
// the agent who reopens it does.
func (s *Service) Reopen(ctx context.Context, actor Actor, conversationID string) (*Conversation, error) {
	return s.act(ctx, actor, conversationID, EventReopened, nil, func(c *Conversation, _ time.Time) error {
		if c.Status != StatusClosed {
			return conflict("invalid_transition", "only closed conversations can be reopened (this one is %s)", c.Status)
		}
		c.Status = StatusOpen
		c.ClosedAt = nil
		c.ClosedBy = ""
		c.WrapUp = nil
		if c.AssigneeID == "" {
			c.AssigneeID = actor.AgentID
		}
		return nil
	})
}
