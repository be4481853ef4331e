package webchat

import "time"

// returnWindow is how long a visitor whose last socket closed is
// remembered: back within it (the next page of the site, a dropped
// connection), they keep their "connected since".
const returnWindow = 30 * time.Second

// departure is what is remembered of a visitor who just left.
type departure struct {
	since  time.Time // their first socket opened
	page   string
	pageAt time.Time
	at     time.Time // their last socket closed
}

func connKey(channelID, visitorID string) string { return channelID + "\x00" + visitorID }

// register adds cl to the registry; false once Run has shut down.
func (a *Adapter) register(cl *client) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.stopped {
		return false
	}
	now := a.now()
	cl.openedAt, cl.lastFrame = now, now
	k := connKey(cl.channelID, cl.visitorID)
	if d, ok := a.left[k]; ok {
		delete(a.left, k)
		if now.Sub(d.at) <= returnWindow {
			cl.openedAt = d.since
			cl.prevPage, cl.prevPageAt = d.page, d.pageAt
		}
	}
	visitors := a.conns[cl.channelID]
	if visitors == nil {
		visitors = make(map[string]map[*client]struct{})
		a.conns[cl.channelID] = visitors
	}
	set := visitors[cl.visitorID]
	if set == nil {
		set = make(map[*client]struct{})
		visitors[cl.visitorID] = set
	}
	// Another tab opening does not move the visitor's arrival time.
	for other := range set {
		if other.openedAt.Before(cl.openedAt) {
			cl.openedAt = other.openedAt
		}
	}
	set[cl] = struct{}{}
	cl.pingSlot = a.pingNext
	a.pingNext = (a.pingNext + 1) % pingSlices
	a.live.Add(1)
	return true
}

// unregister removes cl; the visitor leaves the list with their last socket.
func (a *Adapter) unregister(cl *client) {
	a.mu.Lock()
	defer a.mu.Unlock()
	visitors := a.conns[cl.channelID]
	set := visitors[cl.visitorID]
	if _, ok := set[cl]; !ok {
		return
	}
	delete(set, cl)
	if len(set) > 0 {
		return
	}
	delete(visitors, cl.visitorID)
	if len(visitors) == 0 {
		delete(a.conns, cl.channelID)
	}
	if a.stopped {
		return
	}
	now := a.now()
	a.left[connKey(cl.channelID, cl.visitorID)] = departure{since: cl.openedAt, page: cl.page, pageAt: cl.pageAt, at: now}
	a.forgetDepartures(now)
}

// forgetDepartures drops the visitors who left longer than returnWindow
// ago, sweeping at most once per window. Call with a.mu held.
func (a *Adapter) forgetDepartures(now time.Time) {
	if now.Sub(a.pruned) < returnWindow {
		return
	}
	a.pruned = now
	for k, d := range a.left {
		if now.Sub(d.at) > returnWindow {
			delete(a.left, k)
		}
	}
}

func (a *Adapter) clients(channelID, visitorID string) []*client {
	a.mu.Lock()
	defer a.mu.Unlock()
	set := a.conns[channelID][visitorID]
	out := make([]*client, 0, len(set))
	for cl := range set {
		out = append(out, cl)
	}
	return out
}

func (a *Adapter) isStopped() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.stopped
}

// Connected is the number of live sockets of the visitor on the channel.
func (a *Adapter) Connected(channelID, visitorID string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.conns[channelID][visitorID])
}
