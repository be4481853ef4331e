package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"hub/adapters"
)

// poller is the long-polling goroutine of one channel.
type poller struct {
	botKey string
	cancel context.CancelFunc
	done   chan struct{}

	mu      sync.Mutex
	ok      bool // the last getUpdates succeeded
	lastErr failure
}

func (p *poller) succeeded() {
	p.mu.Lock()
	p.ok = true
	p.mu.Unlock()
}

func (p *poller) failed(msg string, at time.Time) {
	p.mu.Lock()
	p.ok = false
	p.lastErr = failure{msg: msg, at: at}
	p.mu.Unlock()
}

func (p *poller) state() (bool, failure) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.ok, p.lastErr
}

// backoff doubles from min to max.
type backoff struct{ min, max, next time.Duration }

func (b *backoff) wait() time.Duration {
	if b.next < b.min {
		b.next = b.min
	}
	d := b.next
	b.next = min(2*b.next, b.max)
	return d
}

func (b *backoff) reset() { b.next = 0 }

// startPoller starts polling for s under parent. The caller holds a.mu.
func (a *Adapter) startPoller(parent context.Context, s settings) {
	ctx, cancel := context.WithCancel(parent)
	p := &poller{botKey: s.botKey(), cancel: cancel, done: make(chan struct{})}
	a.pollers[s.channelID] = p
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		defer close(p.done)
		a.poll(ctx, s, p)
	}()
	a.log.Info("telegram: polling started", "channel", s.channelID)
}

// poll runs until ctx is done: deleteWebhook, then getUpdates in a loop,
// delivering each update in order and advancing the offset only past
// those the hub stored (or refused for good).
func (a *Adapter) poll(ctx context.Context, s settings, p *poller) {
	// Separate waits: a getUpdates that works must not reset the wait
	// between retries of an update the hub keeps failing to store.
	apiBo := &backoff{min: a.backoffMin, max: a.backoffMax}
	hubBo := &backoff{min: a.backoffMin, max: a.backoffMax}
	fail := func(bo *backoff, what string, err error) bool {
		p.failed(errText(err), a.now().UTC())
		d := bo.wait()
		a.log.Warn("telegram: "+what+" failed; retrying", "channel", s.channelID, "in", d, "err", errText(err))
		return sleep(ctx, d)
	}
	needDelete := true
	var offset int64
	for ctx.Err() == nil {
		if needDelete {
			if _, err := a.call(ctx, s, "deleteWebhook", nil); err != nil {
				if ctx.Err() != nil || !fail(apiBo, "deleteWebhook", classify("deleteWebhook", err)) {
					return
				}
				continue
			}
			needDelete = false
		}
		updates, err := a.getUpdates(ctx, s, offset)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			if te, ok := apiError(err); ok && te.Code == http.StatusConflict {
				needDelete = true // a webhook was set meanwhile, or another getUpdates runs
			}
			if !fail(apiBo, "getUpdates", classify("getUpdates", err)) {
				return
			}
			continue
		}
		p.succeeded()
		apiBo.reset()
		for _, raw := range updates {
			var u update
			if err := json.Unmarshal(raw, &u); err != nil || u.UpdateID <= 0 {
				id, ok := peekUpdateID(raw)
				if !ok {
					// Without an id the offset cannot move past it: wait, ask again.
					if !fail(apiBo, "reading an update", errors.New("telegram: update without update_id")) {
						return
					}
					break
				}
				a.log.Warn("telegram: unreadable update skipped", "channel", s.channelID, "update", id)
				offset = max(offset, id+1)
				continue
			}
			if u.UpdateID < offset {
				continue // already handled: Telegram resent it
			}
			if err := a.handle(ctx, s, &u); err != nil {
				if ctx.Err() != nil {
					return
				}
				if refusedForGood(err) {
					a.log.Warn("telegram: the hub refused an update; skipped", "channel", s.channelID, "update", u.UpdateID, "err", errText(err))
				} else {
					if !fail(hubBo, "storing update "+strconv.FormatInt(u.UpdateID, 10), err) {
						return
					}
					break // ask again from the same offset
				}
			}
			hubBo.reset()
			offset = u.UpdateID + 1
		}
	}
}

// refusedForGood is an *adapters.HTTPError below 500: retrying the same
// update cannot help.
func refusedForGood(err error) bool {
	var he *adapters.HTTPError
	return errors.As(err, &he) && he.Status < 500
}

// getUpdates long-polls for updates from offset on. The raw updates are
// returned so one unreadable update cannot hide the others.
func (a *Adapter) getUpdates(ctx context.Context, s settings, offset int64) ([]json.RawMessage, error) {
	timeout := int((a.cfg.PollTimeout + time.Second - 1) / time.Second)
	ctx, cancel := context.WithTimeout(ctx, a.cfg.PollTimeout+callTimeout)
	defer cancel()
	params := tgbotapi.Params{
		"timeout":         strconv.Itoa(max(timeout, 1)),
		"allowed_updates": allowedUpdatesJSON,
	}
	if offset > 0 {
		params["offset"] = strconv.FormatInt(offset, 10)
	}
	result, err := a.callNoTimeout(ctx, s, "getUpdates", params)
	if err != nil {
		return nil, err
	}
	var updates []json.RawMessage
	if err := json.Unmarshal(result, &updates); err != nil {
		return nil, errors.New("telegram: getUpdates result is not a list")
	}
	return updates, nil
}

// peekUpdateID reads update_id alone from an update that failed to decode.
func peekUpdateID(raw json.RawMessage) (int64, bool) {
	var v struct {
		UpdateID int64 `json:"update_id"`
	}
	if json.Unmarshal(raw, &v) != nil || v.UpdateID <= 0 {
		return 0, false
	}
	return v.UpdateID, true
}
