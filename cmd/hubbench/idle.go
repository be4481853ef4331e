package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"os"
	"slices"
	"strings"
	"syscall"
	"time"
)

// The idle scenario: N visitors each hold a widget WebSocket open and say
// nothing. The figure is the memory the server spends per connection:
// (ΔRSS of the server process + ½ Δ kernel TCP socket memory) ÷ N, where
// Δ is "N connections open and idle" minus "none open, after a warm-up".
// Both ends of a loopback connection live in the same kernel, and
// /proc/net/sockstat only counts the whole machine, so half of the socket
// memory is attributed to the server side.
//
// Baseline: the smallest honest server on the hub's own stack, this binary
// re-executed as a child (idleRoleEnv): fiber + gofiber/contrib/websocket
// with its default buffers, one handler blocked on ReadMessage, nothing
// else. Same client code, same N, same measurement.
//
// Every round starts a fresh server process, because a Go process that has
// held N sockets keeps much of that memory (heap spans, goroutine stacks)
// after they close, which would make a second Δ in the same process
// meaningless. That costs a start per round (a 10,000-socket round takes
// 10–20 s a side here, so five rounds stay within a few minutes). Visitor
// tokens are minted once, on a hub started only for that, and every
// round's hub runs on the same data directory (the token secret and the
// demo channel live there), so minting costs neither time nor heap in the
// measured rounds.
const (
	idleGoalKB   = 16
	idleRoleEnv  = "HUBBENCH_ROLE"
	idleBaseRole = "idle-baseline"
	idleLarge    = 50000 // the second count
	idleQuick    = 500
	// idleFDReserve is what each process needs besides the sockets
	// (database, listener, pipes, the bench's API client).
	idleFDReserve = 300
	// idlePerIP visitors share a source address: the hub allows 60 new
	// visitor sessions per minute per client address, and keys that limit
	// on the TCP peer (it trusts no proxy header), so sessions are minted
	// from many 127.x.y.z addresses. The sockets use the same addresses.
	idlePerIP = 50
	idleWarm  = 32 // connections opened and closed before "before"
	idleDials = 64 // concurrent dials
	// idleSamples is how many RSS / sockstat samples are taken; their
	// median is used.
	idleSamples = 5
)

// idleVisitor is one visitor: the address it comes from and, for the hub,
// its session.
type idleVisitor struct {
	ip    net.IP
	id    string
	token string
}

// idleTarget is the server of one round.
type idleTarget struct {
	pid     int
	wsURL   func(v idleVisitor) string
	hub     *hubProc // nil for the baseline
	admin   string   // the hub's admin token
	channel string
}

// idleResult is one round's measurement, in bytes per connection.
type idleResult struct{ total, rss, sock float64 }

func runIdle(ctx context.Context, b *bench) ([]row, error) {
	// The bench holds one socket per visitor and the hub child inherits
	// the limit: raise the soft limit to the hard one before any start.
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return nil, err
	}
	lim.Cur = lim.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return nil, fmt.Errorf("raise RLIMIT_NOFILE: %w", err)
	}
	counts := slices.Clone(b.opt.Idle)
	if b.opt.Quick {
		counts = []int{idleQuick}
	} else if !slices.Contains(counts, idleLarge) {
		counts = append(counts, idleLarge)
	}
	var rows []row
	var fit []int
	for _, n := range counts {
		if uint64(n+idleFDReserve) > lim.Max {
			rows = append(rows, row{Scenario: "idle", Metric: fmt.Sprintf("memory per idle widget connection, %s visitors", idleThousands(n)),
				Unit: "KB", Baseline: math.NaN(), Hub: math.NaN(), Goal: fmt.Sprintf("≤ %d KB", idleGoalKB),
				Note: fmt.Sprintf("%s idle connections: not measurable here — the hub holds one file descriptor per socket and "+
					"RLIMIT_NOFILE is capped at %d (hard limit; raising it needs CAP_SYS_RESOURCE), so one hub process fits "+
					"about %s sockets.", idleThousands(n), lim.Max, idleThousands(int(lim.Max)-idleFDReserve))})
			continue
		}
		fit = append(fit, n)
	}
	if len(fit) == 0 {
		return rows, nil
	}
	visitors, data, err := idleMint(ctx, b, slices.Max(fit)+idleWarm)
	if err != nil {
		return nil, err
	}
	var measured []row
	for _, n := range fit {
		r, err := idleCount(ctx, b, n, visitors, data)
		if err != nil {
			return nil, err
		}
		measured = append(measured, r)
	}
	return append(measured, rows...), nil
}

// idleCount alternates baseline and hub rounds with n connections.
func idleCount(ctx context.Context, b *bench, n int, visitors []idleVisitor, data string) (row, error) {
	warm, open := visitors[len(visitors)-idleWarm:], visitors[:n]
	settle := 2 * time.Second
	if b.opt.Quick {
		settle = 300 * time.Millisecond
	}
	baseline := func(ctx context.Context, round int) (idleResult, error) {
		t, stop, err := startIdleBaseline(ctx)
		if err != nil {
			return idleResult{}, err
		}
		defer stop()
		r, err := measureIdle(ctx, b, t, open, warm, settle)
		if err == nil {
			b.logf("idle %d baseline round %d: %.0f B/conn (RSS %.0f, sockets %.0f)", n, round+1, r.total, r.rss, r.sock)
		}
		return r, err
	}
	hub := func(ctx context.Context, round int) (idleResult, error) {
		t, err := startIdleHub(ctx, b, data)
		if err != nil {
			return idleResult{}, err
		}
		r, err := measureIdle(ctx, b, t, open, warm, settle)
		if serr := t.hub.stop(); err == nil && serr != nil {
			err = fmt.Errorf("stopping the hub: %w", serr)
		}
		if err == nil {
			b.logf("idle %d hub round %d: %.0f B/conn (RSS %.0f, sockets %.0f)", n, round+1, r.total, r.rss, r.sock)
		}
		return r, err
	}
	base, hubs, err := alternate(ctx, b.opt.Rounds, baseline, hub)
	if err != nil {
		return row{}, err
	}
	pick := func(rs []idleResult, f func(idleResult) float64) float64 {
		xs := make([]float64, len(rs))
		for i, r := range rs {
			xs[i] = f(r)
		}
		return median(xs)
	}
	total := func(r idleResult) float64 { return r.total }
	sock := func(r idleResult) float64 { return r.sock }
	h := pick(hubs, total) / 1024
	return row{
		Scenario: "idle", Metric: fmt.Sprintf("memory per idle widget connection, %s visitors", idleThousands(n)), Unit: "KB",
		Baseline: pick(base, total) / 1024, Hub: h, Goal: fmt.Sprintf("≤ %d KB", idleGoalKB), Met: h <= idleGoalKB,
		Note: fmt.Sprintf("idle: (ΔRSS of the server + ½ Δ kernel TCP memory from /proc/net/sockstat, the other half being the "+
			"client's end of the loopback socket) ÷ N, KB = 1024 B, fresh server process per round, the widget's page frame sent "+
			"on each socket. Socket buffers came to %+.0f B/conn (hub) and %+.0f B/conn (baseline) of that: an idle socket keeps "+
			"no buffer pages, so anything but 0 is other traffic on the machine; the kernel's per-socket structures are not "+
			"counted on either side. Baseline: fiber + gofiber/contrib/websocket (default 1 KB buffers) blocked on ReadMessage. Every "+
			"socket answered a ping at the end of every round; the hub also listed the visitors and delivered an agent's "+
			"message to three of them.",
			pick(hubs, sock), pick(base, sock)),
	}, nil
}

// idleMint starts a hub only to create n visitor sessions, from n /
// idlePerIP source addresses, and stops it. Later hubs reuse its data
// directory, where the token secret and the channel are kept.
func idleMint(ctx context.Context, b *bench, n int) ([]idleVisitor, string, error) {
	data, err := b.tempDir("idle-data")
	if err != nil {
		return nil, "", err
	}
	t, err := startIdleHub(ctx, b, data)
	if err != nil {
		return nil, "", err
	}
	defer t.hub.stop()
	started := time.Now()
	visitors := make([]idleVisitor, n)
	for i := range visitors {
		k := i / idlePerIP // 127.1.0.1, 127.1.0.2, … 250 per third octet
		visitors[i].ip = net.IPv4(127, 1, byte(k/250), byte(k%250+1))
	}
	ips := (n + idlePerIP - 1) / idlePerIP
	err = idleParallel(ctx, ips, 16, func(k int) error {
		client := idleSourceClient(visitors[k*idlePerIP].ip)
		defer client.CloseIdleConnections()
		p := &hubProc{Base: t.hub.Base, client: client}
		for i := k * idlePerIP; i < min(n, (k+1)*idlePerIP); i++ {
			var s struct{ VisitorToken, VisitorID string }
			if err := p.call(ctx, "POST", "/api/v1/widget/"+t.channel+"/session", "", map[string]string{}, 200, &s); err != nil {
				return err
			}
			visitors[i].token, visitors[i].id = s.VisitorToken, s.VisitorID
		}
		return nil
	})
	if err != nil {
		return nil, "", fmt.Errorf("minting visitor sessions: %w", err)
	}
	b.logf("idle: %d visitor sessions from %d source addresses in %s", n, ips, time.Since(started).Round(time.Millisecond))
	return visitors, data, nil
}

// startIdleHub starts the hub on the data directory data (the env entry
// overrides the fresh one startHub sets: the last one wins).
func startIdleHub(ctx context.Context, b *bench, data string) (*idleTarget, error) {
	p, err := b.startHub(ctx, "idle", "HUB_DATA_DIR="+data)
	if err != nil {
		return nil, err
	}
	t := &idleTarget{pid: p.Pid(), hub: p}
	ch, token, err := idleChannel(ctx, p)
	if err != nil {
		p.kill()
		return nil, err
	}
	t.admin, t.channel = token, ch
	t.wsURL = func(v idleVisitor) string {
		return "ws://" + p.Addr + "/ws/widget?channelId=" + ch + "&token=" + v.token
	}
	return t, nil
}

// idleChannel logs the admin in and finds the demo web chat channel.
func idleChannel(ctx context.Context, p *hubProc) (channel, token string, err error) {
	if token, err = p.login(ctx); err != nil {
		return "", "", err
	}
	var out struct{ Items []struct{ ID, Type string } }
	if err := p.call(ctx, "GET", "/api/v1/channels", token, nil, 200, &out); err != nil {
		return "", "", err
	}
	for _, ch := range out.Items {
		if ch.Type == "webchat" {
			return ch.ID, token, nil
		}
	}
	return "", "", errors.New("the demo workspace has no web chat channel")
}

// measureIdle is one round on a started server: warm up, sample, open
// len(visitors) sockets, let them settle, sample, check they are all live.
func measureIdle(ctx context.Context, b *bench, t *idleTarget, visitors, warm []idleVisitor, settle time.Duration) (idleResult, error) {
	// The warm-up runs the upgrade path once on each of a few sockets, so
	// first-use allocations (pools, route caches) land in "before".
	conns, err := dialIdle(ctx, t, warm)
	if err != nil {
		return idleResult{}, fmt.Errorf("warm-up: %w", err)
	}
	closeIdle(conns)
	if err := idleSleep(ctx, settle); err != nil {
		return idleResult{}, err
	}
	rss0, sock0, err := sampleIdle(ctx, t.pid)
	if err != nil {
		return idleResult{}, err
	}
	started := time.Now()
	conns, err = dialIdle(ctx, t, visitors)
	if err != nil {
		return idleResult{}, err
	}
	defer closeIdle(conns)
	opened := time.Since(started)
	if err := idleSleep(ctx, settle); err != nil {
		return idleResult{}, err
	}
	rss1, sock1, err := sampleIdle(ctx, t.pid)
	if err != nil {
		return idleResult{}, err
	}
	if err := idlePingAll(ctx, conns); err != nil {
		return idleResult{}, err
	}
	if t.hub != nil {
		if err := checkHubVisitors(ctx, t, visitors, conns); err != nil {
			return idleResult{}, err
		}
	}
	n := float64(len(visitors))
	r := idleResult{rss: float64(rss1-rss0) / n, sock: float64(sock1-sock0) / 2 / n}
	r.total = r.rss + r.sock
	b.logf("idle: %d sockets opened in %s; %s file descriptors in the server", len(visitors), opened.Round(time.Millisecond), idleFDs(t.pid))
	return r, nil
}

// sampleIdle returns the medians of idleSamples readings of the server's
// RSS and of the kernel's TCP memory.
func sampleIdle(ctx context.Context, pid int) (rss, sock int64, err error) {
	var rs, ss []float64
	for i := range idleSamples {
		if i > 0 {
			if err := idleSleep(ctx, 200*time.Millisecond); err != nil {
				return 0, 0, err
			}
		}
		r, err := processRSS(pid)
		if err != nil {
			return 0, 0, err
		}
		s, err := idleTCPMemory()
		if err != nil {
			return 0, 0, err
		}
		rs, ss = append(rs, float64(r)), append(ss, float64(s))
	}
	return int64(median(rs)), int64(median(ss)), nil
}

// idleTCPMemory is the "mem" of the TCP line of /proc/net/sockstat (pages of
// socket buffers the kernel has allocated), in bytes.
func idleTCPMemory() (int64, error) {
	raw, err := os.ReadFile("/proc/net/sockstat")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(raw), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || f[0] != "TCP:" {
			continue
		}
		for i := 1; i+1 < len(f); i += 2 {
			if f[i] == "mem" {
				var pages int64
				if _, err := fmt.Sscan(f[i+1], &pages); err != nil {
					return 0, err
				}
				return pages * int64(os.Getpagesize()), nil
			}
		}
	}
	return 0, errors.New("no TCP mem in /proc/net/sockstat")
}

// checkHubVisitors asks the hub itself whether the sockets are live: its
// visitor list (capped at maxLiveVisitors = 500 entries), its goroutine
// gauge (one per widget socket: its reader), and a message from an
// agent to a few visitors spread over the set, which must arrive on their
// sockets.
func checkHubVisitors(ctx context.Context, t *idleTarget, visitors []idleVisitor, conns []*idleConn) error {
	p := t.hub
	var list struct{ Items []struct{ ID string } }
	if err := p.call(ctx, "GET", "/api/v1/visitors", t.admin, nil, 200, &list); err != nil {
		return err
	}
	if want := min(len(visitors), 500); len(list.Items) != want {
		return fmt.Errorf("the hub lists %d live visitors, want %d", len(list.Items), want)
	}
	if g, err := idleHubGoroutines(ctx, p); err != nil {
		return err
	} else if g < len(visitors) {
		return fmt.Errorf("the hub runs %d goroutines for %d sockets", g, len(visitors))
	}
	for _, i := range []int{0, len(visitors) / 2, len(visitors) - 1} {
		body := map[string]string{"channelId": t.channel, "text": "Hello from the front desk"}
		if err := p.call(ctx, "POST", "/api/v1/visitors/"+visitors[i].id+"/chat", t.admin, body, 201, nil); err != nil {
			return err
		}
		select {
		case <-conns[i].msgs:
		case <-time.After(15 * time.Second):
			return fmt.Errorf("visitor %d got no message from the agent", i)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
