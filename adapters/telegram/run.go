package telegram

import (
	"context"
	"errors"
	"time"

	"hub/adapters"
)

// Run keeps the pollers (polling mode) or webhook registrations (webhook
// mode) in line with the enabled telegram channels: at start, every
// SweepInterval and when ChannelChanged asks. It returns nil once ctx is
// done and every poller has stopped.
func (a *Adapter) Run(ctx context.Context) error {
	a.mu.Lock()
	if a.running {
		a.mu.Unlock()
		return errors.New("telegram: Run is already running")
	}
	a.running = true
	a.mu.Unlock()
	defer func() {
		a.stopPollers()
		a.mu.Lock()
		a.running = false
		a.mu.Unlock()
	}()

	a.log.Info("telegram: receiving updates by " + a.mode())
	a.sweep(ctx)
	t := time.NewTicker(a.cfg.SweepInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-a.kick:
		}
		a.sweep(ctx)
	}
}

// ChannelChanged applies a channel's creation, change, disabling or
// removal at once: a removed or disabled channel stops polling; in webhook
// mode an enabled channel is registered now and the registration error, if
// any, is returned. Run then re-reads the channel list.
func (a *Adapter) ChannelChanged(ctx context.Context, ch adapters.Channel, removed bool) error {
	if ch.Type != "" && ch.Type != ChannelType {
		return nil
	}
	var err error
	switch {
	case removed || ch.Disabled:
		// After any sweep in progress, which may have read the list before
		// the change; the sweep asked for below reads it afresh.
		a.sweepMu.Lock()
		a.forgetRegistration(ch.ID)
		a.stopPoller(ch.ID)
		a.forgetBot(ch.ID)
		a.sweepMu.Unlock()
	case a.webhookMode:
		s, perr := parseSettings(ch)
		if perr != nil {
			err = perr
			break
		}
		err = a.ensureWebhook(ctx, s)
	}
	select {
	case a.kick <- struct{}{}:
	default: // a sweep is asked for already
	}
	return err
}

// sweep reads the enabled channels and reconciles.
func (a *Adapter) sweep(ctx context.Context) {
	a.sweepMu.Lock()
	defer a.sweepMu.Unlock()
	chans, err := a.dir.Channels(ctx, ChannelType)
	if err != nil {
		if ctx.Err() == nil {
			a.log.Warn("telegram: listing channels failed; keeping the current state", "err", err)
		}
		return
	}
	want := make(map[string]settings, len(chans))
	for _, ch := range chans {
		if ch.Disabled || ch.Type != ChannelType {
			continue
		}
		s, err := parseSettings(ch)
		if err != nil {
			a.noteBadConfig(ch.ID, err)
			continue
		}
		want[ch.ID] = s
	}
	a.mu.Lock()
	for id := range a.badConfig {
		if _, ok := want[id]; ok {
			delete(a.badConfig, id)
		}
	}
	for id := range a.bots {
		if _, ok := want[id]; !ok {
			delete(a.bots, id)
		}
	}
	a.mu.Unlock()

	if a.webhookMode {
		a.sweepWebhooks(ctx, want)
	} else {
		a.sweepPollers(ctx, want)
	}
}

// sweepWebhooks registers what is not registered yet and forgets channels
// that went away.
func (a *Adapter) sweepWebhooks(ctx context.Context, want map[string]settings) {
	for _, s := range want {
		if ctx.Err() != nil {
			return
		}
		_ = a.ensureWebhook(ctx, s) // logged and kept for Health
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for id := range a.registered {
		if _, ok := want[id]; !ok {
			delete(a.registered, id)
		}
	}
	for id := range a.regErr {
		if _, ok := want[id]; !ok {
			delete(a.regErr, id)
		}
	}
}

// sweepPollers stops pollers of channels gone or whose bot changed, waits
// for them (two getUpdates on one bot conflict), then starts the missing.
func (a *Adapter) sweepPollers(ctx context.Context, want map[string]settings) {
	var stopping []*poller
	a.mu.Lock()
	for id, p := range a.pollers {
		if s, ok := want[id]; !ok || s.botKey() != p.botKey {
			p.cancel()
			stopping = append(stopping, p)
			delete(a.pollers, id)
			a.log.Info("telegram: polling stopped", "channel", id)
		}
	}
	a.mu.Unlock()
	for _, p := range stopping {
		<-p.done
	}
	if ctx.Err() != nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for id, s := range want {
		if a.pollers[id] == nil {
			a.startPoller(ctx, s)
		}
	}
}

// stopPoller stops one channel's poller and waits for it.
func (a *Adapter) stopPoller(channelID string) {
	a.mu.Lock()
	p := a.pollers[channelID]
	delete(a.pollers, channelID)
	a.mu.Unlock()
	if p != nil {
		p.cancel()
		<-p.done
		a.log.Info("telegram: polling stopped", "channel", channelID)
	}
}

// stopPollers stops every poller and waits for them all.
func (a *Adapter) stopPollers() {
	a.mu.Lock()
	for id, p := range a.pollers {
		p.cancel()
		delete(a.pollers, id)
	}
	a.mu.Unlock()
	a.wg.Wait()
}

// noteBadConfig logs once that a channel is skipped for its configuration.
func (a *Adapter) noteBadConfig(channelID string, err error) {
	a.mu.Lock()
	seen := a.badConfig[channelID] == err.Error()
	a.badConfig[channelID] = err.Error()
	a.mu.Unlock()
	if !seen {
		a.log.Warn("telegram: channel skipped", "channel", channelID, "err", err)
	}
}
