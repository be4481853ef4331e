package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fasthttp/websocket"
)

// agentFeeds are the agents' live-feed WebSockets as the bench reads
// them: one goroutine per socket reads every frame, counts it, and for a
// frame that carries a customer message notes when it arrived (for the
// latency scenario's recorder, when one is set).
type agentFeeds struct {
	conns   []*websocket.Conn
	accept  func(frame []byte) bool
	wg      sync.WaitGroup
	closing atomic.Bool

	frames  atomic.Int64 // every frame, all sockets
	inbound atomic.Int64 // frames carrying a customer message, all sockets
	lost    atomic.Int64 // sockets the server closed on us
	rec     atomic.Pointer[arrivals]
}

// hubInboundFrame is the hub's frame for a stored customer message:
// {"type":"message.created", ..., "message":{..."direction":"in"...}}.
// (The conversation.updated frame that follows carries the text too, as
// lastMessageText; it is not the one measured.)
func hubInboundFrame(f []byte) bool {
	if !bytes.HasPrefix(f, []byte(`{"type":"message.created"`)) {
		return false
	}
	i := bytes.LastIndex(f, []byte(`"message":{`))
	return i >= 0 && bytes.Contains(f[i:], []byte(`"direction":"in"`))
}

// dialFeeds connects to every url, checks each subscription is live (a
// ping answered by a pong, so no frame published after the dial can be
// missed) and starts the readers.
func dialFeeds(ctx context.Context, urls []string, accept func([]byte) bool) (*agentFeeds, error) {
	f := &agentFeeds{accept: accept}
	d := websocket.Dialer{HandshakeTimeout: 10 * time.Second, ReadBufferSize: 64 << 10}
	for _, u := range urls {
		conn, _, err := d.DialContext(ctx, u, nil)
		if err != nil {
			f.close()
			return nil, fmt.Errorf("dial the live feed: %w", err)
		}
		f.conns = append(f.conns, conn)
		if err := conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"ping"}`)); err != nil {
			f.close()
			return nil, err
		}
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		for {
			_, msg, err := conn.ReadMessage()
			if err != nil {
				f.close()
				return nil, fmt.Errorf("live feed: no pong: %w", err)
			}
			if bytes.Contains(msg, []byte(`"pong"`)) {
				break
			}
		}
		conn.SetReadDeadline(time.Time{})
	}
	for i, conn := range f.conns {
		f.wg.Add(1)
		go f.read(i, conn)
	}
	return f, nil
}

func (f *agentFeeds) read(sock int, conn *websocket.Conn) {
	defer f.wg.Done()
	for {
		_, msg, err := conn.ReadMessage()
		if err != nil {
			if !f.closing.Load() && !errors.Is(err, context.Canceled) {
				f.lost.Add(1)
			}
			return
		}
		f.frames.Add(1)
		if !f.accept(msg) {
			continue
		}
		f.inbound.Add(1)
		if r := f.rec.Load(); r != nil {
			r.arrived(sock, msg)
		}
	}
}

// waitInbound waits until the sockets have seen want customer-message
// frames in all (or limit passes) and returns how many they saw.
func (f *agentFeeds) waitInbound(ctx context.Context, want int64, limit time.Duration) int64 {
	deadline := time.Now().Add(limit)
	for {
		got := f.inbound.Load()
		if got >= want || time.Now().After(deadline) || ctx.Err() != nil {
			return got
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (f *agentFeeds) close() {
	f.closing.Store(true)
	for _, c := range f.conns {
		_ = c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
		c.Close()
	}
	f.wg.Wait()
}

// arrivals records, for one batch of messages numbered first..first+n-1,
// when each was sent and when it first reached each socket, as
// nanoseconds on the monotonic clock since t0. Each socket's reader
// writes only its own row, the senders only sent.
type arrivals struct {
	t0    time.Time
	first int
	sent  []atomic.Int64
	got   [][]atomic.Int64
	seen  atomic.Int64
}

func newArrivals(first, n, sockets int) *arrivals {
	r := &arrivals{t0: time.Now(), first: first, sent: make([]atomic.Int64, n), got: make([][]atomic.Int64, sockets)}
	for i := range r.got {
		r.got[i] = make([]atomic.Int64, n)
	}
	return r
}

// markSent is called just before the message's request is written.
func (r *arrivals) markSent(seq int) {
	if i := seq - r.first; i >= 0 && i < len(r.sent) {
		r.sent[i].Store(int64(time.Since(r.t0)) | 1) // never 0: 0 means unsent
	}
}

func (r *arrivals) arrived(sock int, frame []byte) {
	now := int64(time.Since(r.t0)) | 1
	seq, ok := frameToken(frame)
	if !ok {
		return
	}
	i := seq - r.first
	if i < 0 || i >= len(r.sent) || sock >= len(r.got) {
		return
	}
	if r.got[sock][i].CompareAndSwap(0, now) {
		r.seen.Add(1)
	}
}

// latencies returns every (message, socket) delay in milliseconds, how
// many frames never came and the numbers of the first messages missing.
func (r *arrivals) latencies() (ms []float64, missing int, which []int) {
	for i := range r.sent {
		s := r.sent[i].Load()
		for sock := range r.got {
			g := r.got[sock][i].Load()
			if s == 0 || g == 0 {
				missing++
				if len(which) < 5 && !slices.Contains(which, r.first+i) {
					which = append(which, r.first+i)
				}
				continue
			}
			ms = append(ms, float64(g-s)/1e6)
		}
	}
	return ms, missing, which
}

// frameToken finds the message number after benchMarker in a frame: in
// the hub's frame, in the message part (after "message":{); in a
// forwarded webhook body, anywhere.
func frameToken(f []byte) (int, bool) {
	if i := bytes.LastIndex(f, []byte(`"message":{`)); i >= 0 && bytes.HasPrefix(f, []byte(`{"type"`)) {
		f = f[i:]
	}
	i := bytes.Index(f, []byte(benchMarker))
	if i < 0 {
		return 0, false
	}
	n, digits := 0, 0
	for _, c := range f[i+len(benchMarker):] {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
		digits++
	}
	return n, digits > 0
}
