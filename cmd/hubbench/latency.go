package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/contrib/websocket"
	"github.com/gofiber/fiber/v2"
)

// latencyConfig sizes the latency scenario.
type latencyConfig struct {
	messages  int // per round and side
	customers int
	bots      int
	probe     ingestConfig // the rate search when ingest did not run
}

func latencySizes(quick bool) latencyConfig {
	c := latencyConfig{messages: 2500, customers: 1000, bots: 48, probe: ingestSizes(quick)}
	if quick {
		c.messages, c.customers, c.bots = 200, 80, 8
	}
	return c
}

// latencySample is one round of one side, in ms.
type latencySample struct {
	p50, p99, p999 float64
	ackP99         float64       // the webhooks' own answers, for the log
	slip           time.Duration // how far the sender fell behind its schedule
}

func runLatency(ctx context.Context, b *bench) ([]row, error) {
	cfg := latencySizes(b.opt.Quick)
	fh, err := b.startFedHub(ctx, "latency", cfg.bots)
	if err != nil {
		return nil, err
	}
	defer fh.abort()
	wh, feeds := fh.webhookHub, fh.feeds

	ingestRate.Lock()
	maxRate := ingestRate.perSec
	ingestRate.Unlock()
	from := "the ingest scenario's median"
	if maxRate == 0 {
		// Ingest did not run: search the rate on this hub instead.
		_, maxRate, err = calibrateIngest(ctx, b, wh, feeds, cfg.probe)
		if err != nil {
			return nil, err
		}
		from = "a rate search on this hub (ingest did not run)"
	}
	if maxRate <= 0 {
		return nil, errors.New("no sustainable ingest rate found")
	}
	rate := maxRate / 2

	floor, err := startFloor()
	if err != nil {
		return nil, err
	}
	defer floor.close()
	urls := make([]string, benchAgents)
	for i := range urls {
		urls[i] = "ws://" + floor.addr + "/ws"
	}
	floorFeeds, err := dialFeeds(ctx, urls, func([]byte) bool { return true })
	if err != nil {
		return nil, err
	}
	defer floorFeeds.close()
	b.logf("latency: %.0f msg/s (half of %.0f, from %s)", rate, maxRate, from)

	hub := poster{wh.client, wh.p.Base}
	floorPoster := poster{&http.Client{Timeout: 15 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 512}}, "http://" + floor.addr}
	defer floorPoster.client.CloseIdleConnections()
	baseline := func(ctx context.Context, round int) (latencySample, error) {
		wl := wh.newWorkload(cfg.messages, cfg.customers, 0, false)
		s, err := latencyRound(ctx, floorPoster, floorFeeds, wl, rate)
		if err == nil {
			b.logf("latency floor round %d: p50 %.2f p99 %.2f p99.9 %.2f ms (answers p99 %.2f ms, load %s)", round+1, s.p50, s.p99, s.p999, s.ackP99, loadAverage())
		}
		return s, err
	}
	candidate := func(ctx context.Context, round int) (latencySample, error) {
		wl := wh.newWorkload(cfg.messages, cfg.customers, 0, true)
		wh.expect(wl)
		want := wh.fakes.replies() + int64(wl.replies)
		s, err := latencyRound(ctx, hub, feeds, wl, rate)
		if err != nil {
			return s, err
		}
		// Let the outbox finish so the next round starts from quiet.
		if _, err := wh.waitReplies(ctx, want, 2*time.Minute); err != nil {
			return s, err
		}
		b.logf("latency hub round %d: p50 %.2f p99 %.2f p99.9 %.2f ms (answers p99 %.2f ms, load %s)", round+1, s.p50, s.p99, s.p999, s.ackP99, loadAverage())
		return s, nil
	}
	loadBefore := loadAverage()
	fs, hs, err := alternate(ctx, b.opt.Rounds, baseline, candidate)
	if err != nil {
		return nil, err
	}
	loadAfter := loadAverage()
	// Every message the hub acknowledged is stored once, with its replies.
	if err := fh.finish(ctx); err != nil {
		return nil, err
	}
	var slip time.Duration
	for _, s := range append(fs, hs...) {
		slip = max(slip, s.slip)
	}
	note := fmt.Sprintf("latency: %d messages per round at %.0f msg/s (50 %% of %.0f msg/s, %s), open loop (ticker-paced, each post on its own goroutine; worst schedule slip %s), "+
		"half SMS half Telegram, no retries, %d fresh customers (2.5 messages each, the ingest mix: a first message costs more); measured from just before the POST is written to the arrival of the hub's message.created frame of that message "+
		"(the customer's message, sent to every agent of the workspace — admins and agents alike — before the bot's reply) on each of %d agent WebSockets: every (message, socket) pair is a sample; "+
		"medians of the per-round quantiles. Baseline: the transport floor measured the same way — a fiber app in the bench process whose POST handler writes the body to %d WebSocket clients, storing nothing. "+
		"One-minute load average %s before, %s after.",
		cfg.messages, rate, maxRate, from, slip.Round(time.Millisecond), cfg.customers, benchAgents, benchAgents, loadBefore, loadAfter)
	p99 := medianBy(hs, func(s latencySample) float64 { return s.p99 })
	return []row{
		{Scenario: "latency", Metric: "webhook → agent frame p50", Unit: "ms",
			Baseline: medianBy(fs, func(s latencySample) float64 { return s.p50 }), Hub: medianBy(hs, func(s latencySample) float64 { return s.p50 }), Note: note},
		{Scenario: "latency", Metric: "webhook → agent frame p99", Unit: "ms",
			Baseline: medianBy(fs, func(s latencySample) float64 { return s.p99 }), Hub: p99, Goal: "≤ 10 ms", Met: p99 <= 10, Note: note},
		{Scenario: "latency", Metric: "webhook → agent frame p99.9", Unit: "ms",
			Baseline: medianBy(fs, func(s latencySample) float64 { return s.p999 }), Hub: medianBy(hs, func(s latencySample) float64 { return s.p999 }), Note: note},
	}, nil
}

// latencyRound sends the workload open loop at rate and collects, per
// message and socket, the delay until its frame arrived.
func latencyRound(ctx context.Context, to poster, feeds *agentFeeds, wl workload, rate float64) (latencySample, error) {
	rec := newArrivals(wl.firstSeq, wl.unique, len(feeds.conns))
	feeds.rec.Store(rec)
	defer feeds.rec.Store(nil)
	slip, acks, err := sendOpenLoop(ctx, to, wl.posts, rate, rec.markSent)
	if err != nil {
		return latencySample{}, err
	}
	want := int64(wl.unique * len(feeds.conns))
	deadline := time.Now().Add(10 * time.Second)
	for rec.seen.Load() < want && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(5 * time.Millisecond)
	}
	ms, missing, which := rec.latencies()
	if missing > 0 {
		return latencySample{}, fmt.Errorf("%d of %d frames never arrived (sockets lost: %d; messages %v...)", missing, want, feeds.lost.Load(), which)
	}
	return latencySample{p50: quantile(ms, 0.5), p99: quantile(ms, 0.99), p999: quantile(ms, 0.999), ackP99: quantile(acks, 0.99), slip: slip}, nil
}

// sendOpenLoop posts on a fixed schedule (post i at start + i/rate),
// whatever the answers take: each post runs on its own goroutine, so a
// slow answer delays no later message. It returns the worst lag behind
// the schedule, which the note reports, and each post's answer time in ms.
func sendOpenLoop(ctx context.Context, to poster, posts []webhookPost, rate float64, sent func(seq int)) (time.Duration, []float64, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	var (
		wg      sync.WaitGroup
		errOnce sync.Once
		first   error
		slip    time.Duration
		failed  atomic.Bool
	)
	acks := make([]float64, len(posts))
	interval := time.Duration(float64(time.Second) / rate)
	start := time.Now()
	for i := range posts {
		at := start.Add(time.Duration(i) * interval)
		if d := time.Until(at); d > 0 {
			time.Sleep(d)
		} else {
			slip = max(slip, -d)
		}
		if ctx.Err() != nil || failed.Load() {
			break
		}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			sent(posts[i].seq)
			took, err := to.send(ctx, &posts[i])
			if err != nil {
				failed.Store(true)
				errOnce.Do(func() { first = err })
			}
			acks[i] = float64(took) / 1e6
		}(i)
	}
	wg.Wait()
	if first != nil {
		return slip, nil, first
	}
	return slip, acks, ctx.Err()
}

// floorServer is the latency floor: the same HTTP and WebSocket stack as
// the hub (fiber, contrib/websocket) doing nothing but forwarding each
// POST body to every connected socket before answering 200.
type floorServer struct {
	app  *fiber.App
	addr string
	mu   sync.Mutex
	subs map[*websocket.Conn]*sync.Mutex // socket → its write lock
	done chan error
}

func startFloor() (*floorServer, error) {
	f := &floorServer{subs: map[*websocket.Conn]*sync.Mutex{}, done: make(chan error, 1)}
	f.app = fiber.New(fiber.Config{DisableStartupMessage: true})
	f.app.Get("/ws", websocket.New(func(c *websocket.Conn) {
		lock := &sync.Mutex{}
		f.mu.Lock()
		f.subs[c] = lock
		f.mu.Unlock()
		defer func() {
			f.mu.Lock()
			delete(f.subs, c)
			f.mu.Unlock()
		}()
		// The client's ping is answered like the hub's feed does, so the
		// same client code knows it is subscribed.
		for {
			if _, _, err := c.ReadMessage(); err != nil {
				return
			}
			lock.Lock()
			err := c.WriteMessage(websocket.TextMessage, []byte(`{"type":"pong"}`))
			lock.Unlock()
			if err != nil {
				return
			}
		}
	}))
	f.app.Post("/*", func(c *fiber.Ctx) error {
		body := c.Body()
		f.mu.Lock()
		subs := make(map[*websocket.Conn]*sync.Mutex, len(f.subs))
		for conn, lock := range f.subs {
			subs[conn] = lock
		}
		f.mu.Unlock()
		for conn, lock := range subs {
			lock.Lock()
			err := conn.WriteMessage(websocket.TextMessage, body)
			lock.Unlock()
			if err != nil {
				return err
			}
		}
		return c.SendStatus(http.StatusOK)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	f.addr = ln.Addr().String()
	go func() { f.done <- f.app.Listener(ln) }()
	return f, nil
}

func (f *floorServer) close() {
	_ = f.app.ShutdownWithTimeout(5 * time.Second)
	select {
	case <-f.done:
	case <-time.After(5 * time.Second):
	}
}
