package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"hub/adapters/sms"
)

// The webhook scenarios' fixed world: the public URL the hub believes it
// has (https, so Telegram channels register a webhook instead of polling;
// Twilio signs this URL), the fake Twilio account and the agents.
const (
	benchPublicURL  = "https://hub.bench.test"
	benchAccountSid = "AC0123456789abcdef0123456789abcdef"
	benchAuthToken  = "benchAuthToken0123456789"
	benchSMSNumber  = "+15550000000"
	benchAgents     = 5 // the admin and four agents, one feed each
	benchAgentPass  = "a long enough agent password"
	// benchMarker starts the unique token in every message text, so a
	// frame or a forwarded body can be matched to the message it carries.
	// Upper case: the hub's ids are lower case, and neither JSON nor form
	// encoding changes it.
	benchMarker = "ZQX"
)

// benchBot is one Telegram channel (one bot) of the webhook hub.
type benchBot struct {
	channel, token, secret string
}

// webhookHub is the hub child process set up for webhook traffic: an SMS
// channel and several Telegram channels whose replies go to the fakes,
// the bot on, and the agents' tokens for their live feeds.
type webhookHub struct {
	p      *hubProc
	fakes  *fakeProviders
	admin  string
	agents []string // session tokens, the admin's first
	sms    string   // SMS channel id
	bots   []benchBot
	client *http.Client

	// Running totals over everything posted, for the end-of-run check.
	nextSeq      int // unique messages numbered so far (the token)
	nextCustomer int
	unique       int // customer messages stored
	replies      int // bot replies expected
	customers    int
}

// startWebhookHub starts the hub with an https public URL, the fakes, an
// SMS channel (mps raised to the Twilio maximum the adapter accepts) and
// bots Telegram channels, and creates benchAgents-1 extra agents.
func (b *bench) startWebhookHub(ctx context.Context, name string, bots int) (*webhookHub, error) {
	tokens := make([]string, bots)
	for i := range tokens {
		tokens[i] = fmt.Sprintf("%d:benchBotToken_%02d_abcdefghijkl", 700000+i, i)
	}
	fakes := newFakeProviders(benchAccountSid, benchAuthToken, tokens)
	p, err := b.startHub(ctx, name, "HUB_PUBLIC_URL="+benchPublicURL)
	if err != nil {
		fakes.close()
		return nil, err
	}
	w := &webhookHub{p: p, fakes: fakes, client: &http.Client{
		Timeout:   15 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 512, IdleConnTimeout: time.Minute},
	}}
	if err := w.setup(ctx, tokens); err != nil {
		w.close()
		return nil, err
	}
	return w, nil
}

func (w *webhookHub) setup(ctx context.Context, tokens []string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	admin, err := w.p.login(ctx)
	if err != nil {
		return fmt.Errorf("admin login: %w", err)
	}
	w.admin = admin
	w.agents = []string{admin}
	for i := 1; i < benchAgents; i++ {
		email := fmt.Sprintf("agent%d@hotel.test", i)
		body := map[string]any{"email": email, "name": fmt.Sprintf("Agent %d", i), "role": "agent", "password": benchAgentPass}
		if err := w.p.call(ctx, "POST", "/api/v1/agents", admin, body, 201, nil); err != nil {
			return fmt.Errorf("create agent: %w", err)
		}
		var out struct{ Token string }
		if err := w.p.call(ctx, "POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": benchAgentPass}, 200, &out); err != nil {
			return fmt.Errorf("agent login: %w", err)
		}
		w.agents = append(w.agents, out.Token)
	}
	var ch struct{ ID string }
	err = w.p.call(ctx, "POST", "/api/v1/channels", admin, map[string]any{
		"type": "sms", "name": "Bench SMS", "botEnabled": true,
		"config": map[string]string{
			"accountSid": benchAccountSid, "authToken": benchAuthToken, "from": benchSMSNumber,
			"apiBaseUrl": w.fakes.twilio.URL, "mps": "1000",
		},
	}, 201, &ch)
	if err != nil {
		return fmt.Errorf("create SMS channel: %w", err)
	}
	w.sms = ch.ID
	for i, tok := range tokens {
		secret := fmt.Sprintf("bench_hook_secret_%02d", i)
		err := w.p.call(ctx, "POST", "/api/v1/channels", admin, map[string]any{
			"type": "telegram", "name": fmt.Sprintf("Bench bot %d", i), "botEnabled": true,
			"config": map[string]string{"botToken": tok, "webhookSecret": secret, "apiBaseUrl": w.fakes.telegram.URL},
		}, 201, &ch)
		if err != nil {
			return fmt.Errorf("create Telegram channel: %w", err)
		}
		w.bots = append(w.bots, benchBot{channel: ch.ID, token: tok, secret: secret})
	}
	return nil
}

// dialFeeds opens one live feed per agent; accept picks the frames that
// carry a customer message.
func (w *webhookHub) dialFeeds(ctx context.Context) (*agentFeeds, error) {
	urls := make([]string, len(w.agents))
	for i, tok := range w.agents {
		urls[i] = "ws://" + w.p.Addr + "/ws/agent?token=" + url.QueryEscape(tok)
	}
	return dialFeeds(ctx, urls, hubInboundFrame)
}

// close stops the hub and the fakes; the error is the hub's exit.
func (w *webhookHub) close() error {
	err := w.p.stop()
	w.fakes.close()
	w.client.CloseIdleConnections()
	return err
}

// webhookPost is one prepared provider request: an SMS form signed like
// Twilio or a Telegram update with the webhook secret, or an exact copy
// of an earlier one (a provider retry).
type webhookPost struct {
	path, contentType string
	header, value     string // the authenticity header
	body              []byte
	seq               int // unique message number (the token); a retry has its original's
	retryOf           int // index of the original post in the workload, or -1
}

// workload is a batch of posts and what the hub must store for them.
type workload struct {
	posts     []webhookPost
	unique    int // distinct customer messages
	replies   int // bot replies they get
	customers int // new customers (one contact and conversation each)
	firstSeq  int
}

// newWorkload prepares n customer messages from a fresh set of customers
// (at most customers of them, half on SMS, half spread over the bots),
// plus one retry per retryEvery unique messages (0: none). Message i goes
// to customer i mod customers, so one customer's messages are a whole
// cycle apart: no two are in flight at once and the spam rule (20 in 10 s
// per conversation) never fires. Every text asks about breakfast, which
// the demo bot answers; greeting says whether the first message of a
// conversation also gets the bot's greeting.
func (w *webhookHub) newWorkload(n, customers, retryEvery int, greeting bool) workload {
	customers = min(customers, n)
	wl := workload{unique: n, customers: customers, firstSeq: w.nextSeq}
	base := w.nextCustomer
	for i := range n {
		seq := w.nextSeq + i
		k := base + i%customers
		text := fmt.Sprintf("Is breakfast included in my room? %s%08d", benchMarker, seq)
		var p webhookPost
		if k%2 == 0 {
			p = w.smsPost(k, seq, text)
		} else {
			p = w.telegramPost(k, seq, text)
		}
		wl.posts = append(wl.posts, p)
		wl.replies++
		if i < customers && greeting {
			wl.replies++
		}
		if retryEvery > 0 && (i+1)%retryEvery == 0 {
			// An exact repeat of a message sent a few hundred posts
			// ago, the way a provider retries one whose answer it missed.
			orig := len(wl.posts) - 1 - min(len(wl.posts)-1, 64+(i*37)%448)
			r := wl.posts[orig]
			r.retryOf = orig
			wl.posts = append(wl.posts, r)
		}
	}
	w.nextSeq += n
	w.nextCustomer += customers
	return wl
}

// expect adds a workload posted to the hub to what its store must hold.
func (w *webhookHub) expect(wl workload) {
	w.unique += wl.unique
	w.replies += wl.replies
	w.customers += wl.customers
}

func (w *webhookHub) smsPost(customer, seq int, text string) webhookPost {
	path := "/hooks/sms/" + w.sms
	form := url.Values{
		"MessageSid": {fmt.Sprintf("SMa%031x", seq+1)},
		"AccountSid": {benchAccountSid},
		"From":       {fmt.Sprintf("+1556%07d", customer)},
		"To":         {benchSMSNumber},
		"Body":       {text},
		"NumMedia":   {"0"},
	}
	return webhookPost{
		path: path, contentType: "application/x-www-form-urlencoded",
		header: "X-Twilio-Signature", value: sms.Signature(benchAuthToken, benchPublicURL+path, form),
		body: []byte(form.Encode()), seq: seq, retryOf: -1,
	}
}

// tgUpdateBase makes update ids as large as real ones. A bot's replies get
// small per-chat message ids, and the hub keeps inbound and outbound
// provider ids in one unique index per channel: a small update id equal to
// a stored reply's message id would be taken for a retry and dropped.
const tgUpdateBase = 800_000_000

func (w *webhookHub) telegramPost(customer, seq int, text string) webhookPost {
	bot := w.bots[(customer/2)%len(w.bots)]
	chat := 500000000 + customer
	update := fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":%d,`+
		`"chat":{"id":%d,"type":"private","first_name":"Guest"},`+
		`"from":{"id":%d,"is_bot":false,"first_name":"Guest","last_name":"%d"},"text":%q}}`,
		tgUpdateBase+seq, seq+1, time.Now().Unix(), chat, chat, customer, text)
	return webhookPost{
		path: "/hooks/telegram/" + bot.channel, contentType: "application/json",
		header: "X-Telegram-Bot-Api-Secret-Token", value: bot.secret,
		body: []byte(update), seq: seq, retryOf: -1,
	}
}

// waitReplies waits until the fakes have received want replies in all,
// and returns when they had.
func (w *webhookHub) waitReplies(ctx context.Context, want int64, limit time.Duration) (time.Time, error) {
	deadline := time.Now().Add(limit)
	for {
		got := w.fakes.replies()
		if got >= want {
			return time.Now(), nil
		}
		if time.Now().After(deadline) {
			return time.Time{}, fmt.Errorf("the outbox delivered %d of %d replies within %s (hub counters: %s)", got, want, limit, w.counters(ctx))
		}
		select {
		case <-ctx.Done():
			return time.Time{}, ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// settings changes the demo workspace's settings.
func (w *webhookHub) settings(ctx context.Context, patch map[string]any) error {
	return w.p.call(ctx, "PATCH", "/api/v1/settings", w.admin, patch, 200, nil)
}

// poster sends prepared posts to one server (the hub or the floor).
type poster struct {
	client *http.Client
	base   string
}

// send posts p and returns how long the answer took; anything but 2xx is
// an error (a provider would retry it).
func (s poster) send(ctx context.Context, p *webhookPost) (time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", s.base+p.path, bytes.NewReader(p.body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", p.contentType)
	req.Header.Set(p.header, p.value)
	start := time.Now()
	res, err := s.client.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	took := time.Since(start)
	if res.StatusCode/100 != 2 {
		return took, fmt.Errorf("POST %s: status %d", strings.SplitN(p.path, "/", 4)[2], res.StatusCode)
	}
	return took, nil
}

// counters is the hub's /metrics counters of messages and the outbox, for
// error reports.
func (w *webhookHub) counters(ctx context.Context) string {
	req, err := http.NewRequestWithContext(ctx, "GET", w.p.Base+"/metrics", nil)
	if err != nil {
		return err.Error()
	}
	res, err := w.client.Do(req)
	if err != nil {
		return err.Error()
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var out []string
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "hub_") && !strings.HasPrefix(line, "hub_holds") && !strings.HasPrefix(line, "hub_scheduled") {
			out = append(out, strings.TrimPrefix(line, "hub_"))
		}
	}
	return strings.Join(out, ", ")
}

// loadAverage is the machine's one-minute load average, for the notes: the
// hub, the load generator and anything else running share the cores.
func loadAverage() string {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(raw))
	if len(f) == 0 {
		return "?"
	}
	return f[0]
}

// fedHub is a webhook hub with its agent feeds open, as the ingest and
// latency scenarios drive it.
type fedHub struct {
	*webhookHub
	feeds   *agentFeeds
	stopped bool
}

func (b *bench) startFedHub(ctx context.Context, name string, bots int) (*fedHub, error) {
	wh, err := b.startWebhookHub(ctx, name, bots)
	if err != nil {
		return nil, err
	}
	feeds, err := wh.dialFeeds(ctx)
	if err != nil {
		wh.close()
		return nil, err
	}
	return &fedHub{webhookHub: wh, feeds: feeds}, nil
}

// abort stops the feeds and the hub unless finish did (scenarios defer it
// for their error paths).
func (f *fedHub) abort() {
	if !f.stopped {
		f.stopped = true
		f.feeds.close()
		f.webhookHub.close()
	}
}

// finish stops the feeds and the hub, then checks in the hub's file that
// every acknowledged message is stored once, with its replies sent.
func (f *fedHub) finish(ctx context.Context) error {
	f.stopped = true
	f.feeds.close()
	if err := f.webhookHub.close(); err != nil {
		return fmt.Errorf("hub exit: %w", err)
	}
	if err := checkIngestStore(ctx, filepath.Join(f.p.DataDir, "hub.db"), f.unique, f.replies, f.customers); err != nil {
		return fmt.Errorf("hub store: %w", err)
	}
	return nil
}
