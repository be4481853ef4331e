package partner

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"hub/adapters"
)

const (
	// DefaultRetryAfter is the wait after a 429 without a usable Retry-After.
	DefaultRetryAfter = 30 * time.Second
	// MaxRetryAfter caps the wait a partner's Retry-After may ask for.
	MaxRetryAfter = time.Hour

	excerptBytes  = 200
	maxReplyBytes = 64 << 10
	userAgent     = "hub"
)

// outboundEvent is the JSON posted to the partner. Empty fields are left out.
type outboundEvent struct {
	EventID         string               `json:"eventId"`
	Type            string               `json:"type"`
	ConversationRef string               `json:"conversationRef,omitempty"`
	GuestID         string               `json:"guestId,omitempty"`
	Author          *outboundAuthor      `json:"author,omitempty"`
	Text            string               `json:"text,omitempty"`
	Attachments     []outboundAttachment `json:"attachments,omitempty"`
	Buttons         []string             `json:"buttons,omitempty"`
	SentAt          string               `json:"sentAt,omitempty"`
}

type outboundAuthor struct {
	Type string `json:"type,omitempty"`
	Name string `json:"name,omitempty"`
}

type outboundAttachment struct {
	URL         string `json:"url"`
	ContentType string `json:"contentType,omitempty"`
	Name        string `json:"name,omitempty"`
	Size        int64  `json:"size,omitempty"`
}

// Send posts out to the channel's url, signed with its secret. The
// Idempotency-Key is out.MessageID on every attempt. A 2xx is success (the
// partner's {"id"} becomes ExternalID); 429 is a *adapters.RetryAfterError;
// 408, 425, 5xx and transport failures are plain errors to retry; any other
// answer, and a channel without a usable url or secret, is a
// *adapters.PermanentError. Errors never carry the secret or the URL's
// query string.
func (a *Adapter) Send(ctx context.Context, out adapters.Outbound) (adapters.SendResult, error) {
	target, secret, err := outboundTarget(out)
	if err != nil {
		return adapters.SendResult{}, &adapters.PermanentError{Err: err}
	}
	body, err := json.Marshal(toOutboundEvent(out, a.now()))
	if err != nil {
		return adapters.SendResult{}, &adapters.PermanentError{Err: fmt.Errorf("partner: encoding the reply: %w", err)}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return adapters.SendResult{}, &adapters.PermanentError{Err: errors.New("partner: the channel url is not usable")}
	}
	ts, sig := Sign([]byte(secret), body, a.now())
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Idempotency-Key", out.MessageID)
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSignature, sig)

	resp, err := a.client.Do(req)
	if err != nil {
		err = transportError(target, err)
		a.log.Debug("partner: send failed", "channel", out.Channel.ID, "message", out.MessageID, "err", err)
		return adapters.SendResult{}, err
	}
	defer resp.Body.Close()
	reply, _ := io.ReadAll(io.LimitReader(resp.Body, maxReplyBytes))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxReplyBytes))
	a.log.Debug("partner: reply posted", "channel", out.Channel.ID, "message", out.MessageID,
		"attempt", out.Attempt, "status", resp.StatusCode)
	return a.classify(resp, reply)
}

// outboundTarget returns the channel's url and secret, or why they are
// unusable (never quoting them).
func outboundTarget(out adapters.Outbound) (target, secret string, err error) {
	if out.MessageID == "" {
		return "", "", errors.New("partner: outbound message without an id")
	}
	if out.ContactHandle == "" {
		return "", "", errors.New("partner: outbound message without a guest id")
	}
	target = out.Channel.Config[keyURL]
	if err := checkURL(target); err != nil {
		return "", "", fmt.Errorf("partner: channel setting url: %w", err)
	}
	secret = out.Channel.Config[keySecret]
	if reason := checkSecret(secret, true); reason != "" {
		return "", "", fmt.Errorf("partner: channel setting secret: %s", reason)
	}
	return target, secret, nil
}

func toOutboundEvent(out adapters.Outbound, now time.Time) outboundEvent {
	ev := outboundEvent{
		EventID:         out.MessageID,
		Type:            EventTypeMessage,
		ConversationRef: out.ThreadRef,
		GuestID:         out.ContactHandle,
		Text:            out.Text,
		Buttons:         out.Buttons,
	}
	if out.AuthorType != "" || out.AuthorName != "" {
		ev.Author = &outboundAuthor{Type: out.AuthorType, Name: out.AuthorName}
	}
	for _, at := range out.Attachments {
		ev.Attachments = append(ev.Attachments, outboundAttachment{URL: at.URL, ContentType: at.ContentType, Name: at.Name, Size: at.Size})
	}
	created := out.CreatedAt
	if created.IsZero() {
		created = now
	}
	ev.SentAt = created.UTC().Format(time.RFC3339)
	return ev
}

// classify turns the partner's answer into a result or a typed error.
func (a *Adapter) classify(resp *http.Response, reply []byte) (adapters.SendResult, error) {
	code := resp.StatusCode
	status := "HTTP " + strconv.Itoa(code)
	if ex := excerpt(reply); ex != "" {
		status += ": " + ex
	}
	switch {
	case code >= 200 && code < 300:
		return adapters.SendResult{ExternalID: replyID(reply)}, nil
	case code == http.StatusTooManyRequests:
		return adapters.SendResult{}, &adapters.RetryAfterError{
			After: retryAfter(resp.Header.Get("Retry-After"), a.now()),
			Err:   errors.New("partner rate limited the reply: " + status),
		}
	case code == http.StatusRequestTimeout, code == http.StatusTooEarly, code >= 500:
		return adapters.SendResult{}, errors.New("partner could not take the reply now: " + status)
	case code >= 300 && code < 400:
		return adapters.SendResult{}, &adapters.PermanentError{Err: errors.New("partner answered with a redirect, which the hub does not follow (check the channel url): " + status)}
	case code >= 400:
		return adapters.SendResult{}, &adapters.PermanentError{Err: errors.New("partner refused the message: " + status)}
	}
	return adapters.SendResult{}, errors.New("partner gave an unexpected answer: " + status)
}

// replyID reads {"id": "..."} (a string or a number) from a 2xx body.
func replyID(reply []byte) string {
	var r struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(reply, &r) != nil || len(r.ID) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(r.ID, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(r.ID, &n) == nil {
		return n.String()
	}
	return ""
}

// retryAfter reads Retry-After as seconds or an HTTP date; absent or
// unreadable means DefaultRetryAfter. The result is between one second and
// MaxRetryAfter.
func retryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	d := DefaultRetryAfter
	if n, err := strconv.ParseInt(h, 10, 64); err == nil && n >= 0 {
		d = MaxRetryAfter
		if n < int64(MaxRetryAfter/time.Second) {
			d = time.Duration(n) * time.Second
		}
	} else if t, err := http.ParseTime(h); err == nil {
		d = t.Sub(now)
	}
	return min(max(d, time.Second), MaxRetryAfter)
}

// excerpt is the first 200 bytes of a reply on one line: control
// characters become spaces, runs of spaces collapse, a cut rune is dropped.
func excerpt(reply []byte) string {
	if len(reply) > excerptBytes {
		reply = reply[:excerptBytes]
	}
	s := strings.ToValidUTF8(string(reply), "")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// transportError describes a failed request without the URL's query or
// credentials; the cause stays wrapped (timeouts remain net.Errors).
func transportError(target string, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return fmt.Errorf("partner: POST %s: %w", redactURL(target), err)
}

// redactURL keeps scheme, host and path.
func redactURL(target string) string {
	u, err := url.Parse(target)
	if err != nil {
		return "(channel url)"
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
}
