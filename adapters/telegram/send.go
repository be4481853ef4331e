package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"hub/adapters"
)

const (
	// progressTTL is how long the parts sent of a failed message are
	// remembered for the hub's retry.
	progressTTL = time.Hour
	// maxProgress bounds that memory.
	maxProgress = 1024
)

// sendProgress is how far a failed multi-part message got.
type sendProgress struct {
	steps  int    // how many steps the message has
	done   int    // how many went out
	lastID string // message_id of the last that went out
	at     time.Time
}

// step is one Bot API message of an Outbound.
type step struct {
	method   string // sendMessage, sendPhoto or sendDocument
	text     string // text, or caption
	url      string // photo or document URL
	keyboard *tgbotapi.InlineKeyboardMarkup
}

// chatTarget is where to send: a numeric chat id, or @channelusername.
type chatTarget struct {
	id       int64
	username string
}

func (t chatTarget) base(keyboard *tgbotapi.InlineKeyboardMarkup) tgbotapi.BaseChat {
	b := tgbotapi.BaseChat{ChatID: t.id, ChannelUsername: t.username}
	if keyboard != nil {
		b.ReplyMarkup = keyboard
	}
	return b
}

func (st step) chattable(t chatTarget) tgbotapi.Chattable {
	switch st.method {
	case "sendPhoto":
		return tgbotapi.PhotoConfig{BaseFile: tgbotapi.BaseFile{BaseChat: t.base(st.keyboard), File: tgbotapi.FileURL(st.url)}, Caption: st.text}
	case "sendDocument":
		return tgbotapi.DocumentConfig{BaseFile: tgbotapi.BaseFile{BaseChat: t.base(st.keyboard), File: tgbotapi.FileURL(st.url)}, Caption: st.text}
	}
	return tgbotapi.MessageConfig{BaseChat: t.base(st.keyboard), Text: st.text}
}

// Send delivers out to the chat in out.ContactHandle, in as many Bot API
// messages as it takes (see the package doc), Pacing.PerChat apart.
// SendResult.ExternalID is the message_id of the last one.
func (a *Adapter) Send(ctx context.Context, out adapters.Outbound) (adapters.SendResult, error) {
	s, err := parseSettings(out.Channel)
	if err != nil {
		return adapters.SendResult{}, &adapters.PermanentError{Err: err}
	}
	target, err := parseChat(out.ContactHandle)
	if err != nil {
		return adapters.SendResult{}, &adapters.PermanentError{Err: err}
	}
	steps := plan(out)
	if len(steps) == 0 {
		return adapters.SendResult{}, &adapters.PermanentError{Err: errors.New("telegram: nothing to send (no text and no attachment with a public URL)")}
	}
	key := out.Channel.ID + "\x00" + out.MessageID
	start, lastID := a.resume(key, out.MessageID != "", len(steps))
	for i := start; i < len(steps); i++ {
		if i > start && !sleep(ctx, a.partGap) {
			a.remember(key, out.MessageID != "", len(steps), i, lastID)
			return adapters.SendResult{}, fmt.Errorf("telegram: send: %w", ctx.Err())
		}
		id, err := a.sendStep(ctx, s, target, steps[i])
		if err != nil {
			a.remember(key, out.MessageID != "", len(steps), i, lastID)
			return adapters.SendResult{}, classify(steps[i].method, err)
		}
		lastID = id
	}
	a.forgetProgress(key)
	a.log.Debug("telegram: message sent", "channel", s.channelID, "message", out.MessageID, "parts", len(steps)-start)
	return adapters.SendResult{ExternalID: lastID}, nil
}

// sendStep sends one message and returns its message_id.
func (a *Adapter) sendStep(ctx context.Context, s settings, t chatTarget, st step) (string, error) {
	result, err := a.request(ctx, s, st.chattable(t))
	if err != nil {
		return "", err
	}
	var m struct {
		MessageID int64 `json:"message_id"`
	}
	if json.Unmarshal(result, &m) != nil {
		// Telegram took the message: report success without an id
		// rather than have the hub send it again.
		a.log.Warn("telegram: sent, but the result has no message_id", "channel", s.channelID, "method", st.method)
		return "", nil
	}
	return strconv.FormatInt(m.MessageID, 10), nil
}

// plan turns out into Bot API messages: text parts, then attachments; a
// single attachment carries a short text as caption; the buttons go on
// the last message.
func plan(out adapters.Outbound) []step {
	text := out.Text
	if strings.TrimSpace(text) == "" {
		text = ""
	}
	var media []step
	for _, att := range out.Attachments {
		if st, ok := mediaStep(att); ok {
			media = append(media, st)
		}
	}
	var steps []step
	if len(media) == 1 && utf16Len(text) <= maxCaptionUnits {
		media[0].text = text
	} else if text != "" {
		for _, part := range splitText(text, maxTextUnits) {
			steps = append(steps, step{method: "sendMessage", text: part})
		}
	}
	steps = append(steps, media...)
	if len(steps) > 0 {
		steps[len(steps)-1].keyboard = keyboard(out.Buttons)
	}
	return steps
}

// mediaStep sends an attachment by URL: images with sendPhoto (GIF and
// SVG as documents: sendPhoto would flatten or refuse them), the rest
// with sendDocument. Proxied attachments and relative URLs cannot be.
func mediaStep(att adapters.Attachment) (step, bool) {
	if att.Proxied {
		return step{}, false
	}
	u, err := url.Parse(att.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return step{}, false
	}
	ct := strings.ToLower(strings.TrimSpace(att.ContentType))
	if ct == "" {
		ct = mime.TypeByExtension(path.Ext(u.Path))
	}
	if mt, _, err := mime.ParseMediaType(ct); err == nil {
		ct = mt
	}
	if strings.HasPrefix(ct, "image/") && ct != "image/gif" && ct != "image/svg+xml" {
		return step{method: "sendPhoto", url: att.URL}, true
	}
	return step{method: "sendDocument", url: att.URL}, true
}

// keyboard is one button per row; callback data is the label cut to 64
// bytes. Nil without buttons.
func keyboard(labels []string) *tgbotapi.InlineKeyboardMarkup {
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, label := range labels {
		label = strings.TrimSpace(label)
		if label == "" {
			continue
		}
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(
			tgbotapi.NewInlineKeyboardButtonData(label, cutUTF8(label, maxCallbackBytes))))
	}
	if len(rows) == 0 {
		return nil
	}
	m := tgbotapi.NewInlineKeyboardMarkup(rows...)
	return &m
}

// parseChat reads a contact handle: a chat id, or an @username.
func parseChat(handle string) (chatTarget, error) {
	handle = strings.TrimSpace(handle)
	if id, err := strconv.ParseInt(handle, 10, 64); err == nil && id != 0 {
		return chatTarget{id: id}, nil
	}
	if len(handle) > 1 && handle[0] == '@' && !strings.ContainsAny(handle, " \t\n") {
		return chatTarget{username: handle}, nil
	}
	return chatTarget{}, errors.New("telegram: the contact handle is not a Telegram chat id")
}

// resume returns where a retried message starts: after the steps a
// previous attempt sent, if it had the same number of steps.
func (a *Adapter) resume(key string, keyed bool, steps int) (int, string) {
	if !keyed {
		return 0, ""
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	p, ok := a.progress[key]
	if !ok || p.steps != steps || a.now().Sub(p.at) > progressTTL {
		return 0, ""
	}
	return p.done, p.lastID
}

// remember records that done steps of a message went out.
func (a *Adapter) remember(key string, keyed bool, steps, done int, lastID string) {
	if !keyed || done == 0 {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	if len(a.progress) >= maxProgress {
		for k, p := range a.progress {
			if now.Sub(p.at) > progressTTL {
				delete(a.progress, k)
			}
		}
	}
	if len(a.progress) >= maxProgress {
		for k := range a.progress { // still full: drop one at random
			delete(a.progress, k)
			break
		}
	}
	a.progress[key] = sendProgress{steps: steps, done: done, lastID: lastID, at: now}
}

func (a *Adapter) forgetProgress(key string) {
	a.mu.Lock()
	delete(a.progress, key)
	a.mu.Unlock()
}
