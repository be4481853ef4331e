package inbox

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Satisfaction survey decisions:
//   - An agent's close sends one survey (unless switched off for that
//     close, or the customer cannot be written to: spam, opted out). It is
//     a message of Kind MessageSurvey with buttons 1–5: the widget shows
//     stars, Telegram inline buttons, SMS and partners the question text.
//   - The survey accepts one answer within SurveyWindowMinutes (default a
//     day). A customer message that reads as a rating ("4", "4/5", "****",
//     "4 stars", "★★★★") is recorded as the score and leaves the
//     conversation closed; anything else reopens it as usual and ends the
//     survey.
//   - The score is kept on the conversation and in a csat event that names
//     the agent who closed it, so it counts in that agent's report.

// DefaultSurveyQuestion is sent when the workspace sets none.
const DefaultSurveyQuestion = "How would you rate our help? Reply with a number from 1 (poor) to 5 (excellent)."

// surveyButtons are the rating choices.
var surveyButtons = []string{"1", "2", "3", "4", "5"}

// surveyWindow is how long a survey accepts an answer.
func surveyWindow(s WorkspaceSettings) time.Duration {
	if s.SurveyWindowMinutes > 0 {
		return time.Duration(s.SurveyWindowMinutes) * time.Minute
	}
	return 24 * time.Hour
}

var ratingPattern = regexp.MustCompile(`^([1-5])\s*(?:/\s*5|(?:stars?|etoiles?|étoiles?|sterne?|stelle|estrellas?|points?|pts?))?\s*[.!]?$`)

// ParseRating reads a 1–5 rating from a customer's answer: "4", "4/5",
// "4 stars", "****", "★★★★". It reports false for anything else.
func ParseRating(text string) (int, bool) {
	t := strings.ToLower(strings.TrimSpace(text))
	if t == "" {
		return 0, false
	}
	if stars := strings.Trim(t, "*★⭐️ "); stars == "" {
		n := strings.Count(t, "*") + strings.Count(t, "★") + strings.Count(t, "⭐")
		if n >= 1 && n <= 5 {
			return n, true
		}
		return 0, false
	}
	m := ratingPattern.FindStringSubmatch(t)
	if m == nil {
		return 0, false
	}
	n, _ := strconv.Atoi(m[1])
	return n, true
}

// sendSurvey queues the survey question on a conversation just closed.
func (s *Service) sendSurvey(ctx context.Context, c *Conversation, settings WorkspaceSettings) error {
	question := strings.TrimSpace(settings.SurveyQuestion)
	if question == "" {
		question = DefaultSurveyQuestion
	}
	msg := s.outbound(c, Author{Type: AuthorBot, Name: "Bot"}, question, surveyButtons, s.clock.Now())
	msg.Kind = MessageSurvey
	return s.addMessage(ctx, c, msg)
}

// answerSurvey records a rating on a closed conversation whose survey is
// still open. It reports false (and changes nothing) when text is not a
// rating or no survey waits.
func (s *Service) answerSurvey(c *Conversation, text string, now time.Time) (int, bool) {
	if c.Status != StatusClosed || c.SurveyUntil == nil || now.After(*c.SurveyUntil) {
		return 0, false
	}
	score, ok := ParseRating(text)
	if !ok {
		return 0, false
	}
	c.CSAT = &CSAT{Score: score, At: now}
	c.SurveyUntil = nil
	return score, true
}
