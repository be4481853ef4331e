package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hub/adapters/sms"
)

const (
	crashTwilioSID   = "AC00112233445566778899aabbccddeeff"
	crashTwilioToken = "crashtoken0123456789"
	crashSMSNumber   = "+33100000001"
)

// fakeTwilioAPI accepts every send on the Messages API and counts them by
// the hub's message id, which the hub puts in each send's status callback
// (Twilio itself has no idempotency key).
type fakeTwilioAPI struct {
	mu   sync.Mutex
	n    int
	sent map[string]int    // message id → sends
	to   map[string]string // message id → recipient
	bad  []string
}

func (f *fakeTwilioAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	user, pass, ok := r.BasicAuth()
	if !ok || user != crashTwilioSID || pass != crashTwilioToken || r.Method != "POST" ||
		r.URL.Path != "/2010-04-01/Accounts/"+crashTwilioSID+"/Messages.json" || r.ParseForm() != nil {
		f.bad = append(f.bad, r.Method+" "+r.URL.Path)
		w.WriteHeader(400)
		return
	}
	cb, err := url.Parse(r.PostForm.Get("StatusCallback"))
	if err != nil || cb.Query().Get("message") == "" || r.PostForm.Get("From") != crashSMSNumber {
		f.bad = append(f.bad, "send without a message id or from the wrong number")
		w.WriteHeader(400)
		return
	}
	id := cb.Query().Get("message")
	f.sent[id]++
	f.to[id] = r.PostForm.Get("To")
	f.n++
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(201)
	// Real SIDs are unique across directions; these never equal an
	// inbound MessageSid of the test (the hub dedupes on both).
	fmt.Fprintf(w, `{"sid":"SMff%030d","status":"queued"}`, f.n)
}

func (f *fakeTwilioAPI) state() (sent map[string]int, to map[string]string, bad []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return maps.Clone(f.sent), maps.Clone(f.to), slices.Clone(f.bad)
}

// errBadAck is a 2xx whose body is not the documented answer.
var errBadAck = errors.New("partner 200 without a message id")

// crashEvent is one customer message: a partner event or an SMS.
type crashEvent struct {
	sms             bool
	id, guest, text string
	sends           int          // requests sent, duplicates and resends included
	ackedBeforeKill bool         // a 2xx from the hub that was killed
	acks            []partnerAck // partner answers, original and duplicates
}

// crashLoad is the webhook traffic: each event once, plus retried
// duplicates placed a few positions after their original so many run
// concurrently with it.
func crashLoad(unique, duplicates int) ([]*crashEvent, []int) {
	events := make([]*crashEvent, unique)
	for i := range events {
		e := &crashEvent{id: fmt.Sprintf("evt-%d", i), guest: fmt.Sprintf("guest-%d", i)}
		if i%5 == 4 {
			e = &crashEvent{sms: true, id: fmt.Sprintf("SM%032x", i), guest: fmt.Sprintf("+3361%07d", i)}
		}
		e.text = "Is the shuttle running tonight? ref " + e.id
		events[i] = e
	}
	jobs := make([]int, 0, unique+duplicates)
	for i := range events {
		jobs = append(jobs, i)
	}
	for k := range duplicates {
		i := 4 + k*(unique-5)/duplicates
		jobs = slices.Insert(jobs, min(i+1+k%16, len(jobs)), i)
	}
	return events, jobs
}

// TestCrash_SIGKILLMidStreamLosesNoAcknowledgedMessageNorOwedReply sends
// 2,000 partner and SMS webhooks from 16 concurrent senders, retried
// duplicates included, kills the hub with SIGKILL after 1,000
// acknowledgements, restarts it on the same data directory and resends
// what was not acknowledged, like a provider. Every acknowledged message is
// stored exactly once, and the bot's answer to each reaches the fake
// partner or Twilio (at least once: a send in flight at the kill may be
// repeated).
func TestCrash_SIGKILLMidStreamLosesNoAcknowledgedMessageNorOwedReply(t *testing.T) {
	const unique, duplicates, senders, killAt = 1800, 200, 16, 1000
	bin := buildHub(t)
	data := filepath.Join(t.TempDir(), "data")
	partnerFake := &downPartner{up: true, got: map[string]int{}}
	partnerSrv := httptest.NewServer(partnerFake)
	defer partnerSrv.Close()
	twilio := &fakeTwilioAPI{sent: map[string]int{}, to: map[string]string{}}
	twilioSrv := httptest.NewServer(twilio)
	defer twilioSrv.Close()

	first := startProcess(t, bin, data)
	token := first.login(t)
	partnerID := createChannel(t, first, token, map[string]any{
		"type": "partner", "name": "OTA", "botEnabled": true,
		"config": map[string]string{"url": partnerSrv.URL, "secret": restartSecret},
	})
	// mps 1000: Twilio's default of 1 per second would take minutes to
	// drain the SMS replies.
	smsID := createChannel(t, first, token, map[string]any{
		"type": "sms", "name": "SMS", "botEnabled": true,
		"config": map[string]string{"accountSid": crashTwilioSID, "authToken": crashTwilioToken, "from": crashSMSNumber,
			"apiBaseUrl": twilioSrv.URL, "mps": "1000"},
	})
	createShuttleRule(t, first, token)

	events, jobs := crashLoad(unique, duplicates)
	client := loadClient(t)
	var mu sync.Mutex // guards the events' ack fields
	// send posts one event to p and records a 2xx; the status is 0 when no
	// answer came back.
	send := func(ctx context.Context, p *process, e *crashEvent, phase2 bool) (int, error) {
		var req *http.Request
		if e.sms {
			req = smsRequest(ctx, p, smsID, e)
		} else {
			req = partnerRequest(ctx, p.base, partnerID, e.id, e.guest, e.text)
		}
		status, body, err := do(client, req)
		mu.Lock()
		e.sends++
		mu.Unlock()
		if err != nil || status/100 != 2 {
			return status, err
		}
		mu.Lock()
		defer mu.Unlock()
		if !e.sms {
			var ack partnerAck
			if err := json.Unmarshal(body, &ack); err != nil || ack.MessageID == "" {
				return status, fmt.Errorf("%w: %v", errBadAck, err)
			}
			e.acks = append(e.acks, ack)
		}
		e.ackedBeforeKill = e.ackedBeforeKill || !phase2
		return status, nil
	}

	// Phase 1: 16 senders until the hub dies under them.
	var acked, notSent, cut, serverErrors atomic.Int64
	var killed atomic.Bool
	var killOnce sync.Once
	var unexpected []string
	work := make(chan int)
	var wg sync.WaitGroup
	for range senders {
		wg.Go(func() {
			for i := range work {
				if killed.Load() {
					notSent.Add(1)
					continue
				}
				status, err := send(t.Context(), first, events[i], false)
				switch {
				case err != nil && !errors.Is(err, errBadAck):
					cut.Add(1) // refused, or cut by the kill: not acknowledged
				case err != nil || (status/100 != 2 && status < 500):
					mu.Lock()
					unexpected = append(unexpected, fmt.Sprintf("%s: %d %v", events[i].id, status, err))
					mu.Unlock()
				case status >= 500:
					serverErrors.Add(1) // a provider retries these
				default:
					if acked.Add(1) == killAt {
						killOnce.Do(func() {
							killed.Store(true)
							_ = first.cmd.Process.Kill()
						})
					}
				}
			}
		})
	}
	started := time.Now()
	for _, i := range jobs {
		work <- i
	}
	close(work)
	wg.Wait()
	_, _ = first.cmd.Process.Wait()
	if !killed.Load() {
		t.Fatalf("the hub was never killed: only %d acknowledgements", acked.Load())
	}
	for _, u := range unexpected {
		t.Errorf("phase 1: %s", u)
	}
	ackedBeforeKill := 0
	for _, e := range events {
		if e.ackedBeforeKill {
			ackedBeforeKill++
		}
	}
	t.Logf("phase 1: %d acknowledgements in %s (%d distinct events), %d requests cut by the kill, %d 5xx, %d never sent",
		acked.Load(), time.Since(started).Round(100*time.Millisecond), ackedBeforeKill, cut.Load(), serverErrors.Load(), notSent.Load())

	// Phase 2: restart on the same data and resend every event that was
	// not acknowledged, with its id, as the provider would.
	restartedAt := time.Now()
	second := startProcess(t, bin, data)
	defer second.stop(t)
	var resend []*crashEvent
	for _, e := range events {
		if !e.ackedBeforeKill {
			resend = append(resend, e)
		}
	}
	work2 := make(chan *crashEvent)
	var failed []string
	for range senders {
		wg.Go(func() {
			for e := range work2 {
				if status, err := send(t.Context(), second, e, true); err != nil || status/100 != 2 {
					mu.Lock()
					failed = append(failed, fmt.Sprintf("%s: %d %v", e.id, status, err))
					mu.Unlock()
				}
			}
		})
	}
	for _, e := range resend {
		work2 <- e
	}
	close(work2)
	wg.Wait()
	if len(failed) > 0 {
		t.Fatalf("resends after the restart refused: %d, first %s", len(failed), failed[0])
	}

	// Every message is stored once, with the bot's answer; the bot answers
	// before the webhook is acknowledged, so the set of replies is final.
	token = second.login(t)
	convs := map[string]*storedConversation{}
	for _, c := range readInbox(t, second, token) {
		if c.Channel.ID == partnerID || c.Channel.ID == smsID {
			convs[c.Channel.ID+"|"+c.Contact.Handle] = c
		}
	}
	if len(convs) != unique {
		t.Errorf("%d conversations on the two channels, want one per event: %d", len(convs), unique)
	}
	owedPartner, owedSMS := map[string]bool{}, map[string]bool{}
	recipient := map[string]string{} // SMS reply id → the customer's number
	unanswered, answeredTwice, storedUnacked := 0, 0, 0
	for _, e := range events {
		ch := partnerID
		if e.sms {
			ch = smsID
		}
		conv := convs[ch+"|"+e.guest]
		if conv == nil {
			t.Errorf("%s: acknowledged but no conversation", e.id)
			continue
		}
		in := conv.inbound()
		if len(in) != 1 || in[0].Text != e.text {
			t.Errorf("%s: %d customer messages stored, want exactly this one", e.id, len(in))
			continue
		}
		if !e.ackedBeforeKill && in[0].CreatedAt.Before(restartedAt) {
			storedUnacked++ // its resend was a duplicate
		}
		for _, ack := range e.acks {
			if ack.MessageID != in[0].ID || ack.ConversationID != conv.ID {
				t.Errorf("%s: acknowledged as message %s in %s, stored as %s in %s", e.id, ack.MessageID, ack.ConversationID, in[0].ID, conv.ID)
			}
		}
		answers := 0
		for _, m := range conv.Messages {
			if m.Direction != "out" {
				continue
			}
			if m.Text == shuttleAnswer {
				answers++
			}
			if e.sms {
				owedSMS[m.ID] = true
				recipient[m.ID] = e.guest
			} else {
				owedPartner[m.ID] = true
			}
		}
		switch {
		case answers > 1:
			// A retry arriving while the original is still running runs
			// the bot too; the turn must still be stored once.
			answeredTwice++
			t.Errorf("%s: sent %d times, the bot answered %d times", e.id, e.sends, answers)
		case answers == 0 && !e.ackedBeforeKill && in[0].CreatedAt.Before(restartedAt):
			// The killed hub stored the message and died before the
			// bot's answer and the 2xx: the provider's retry, a
			// duplicate, owes the answer.
			unanswered++
			t.Errorf("%s: stored by the killed hub before its answer, never answered after the retry", e.id)
		case answers == 0:
			t.Errorf("%s: acknowledged, but the bot's answer was never stored", e.id)
		}
	}
	t.Logf("phase 2: %d events sent after the restart (never acknowledged), %d of them already stored by the killed hub",
		len(resend), storedUnacked)
	t.Logf("answers: %d customers answered twice, %d stored messages left unanswered (want 0 and 0)", answeredTwice, unanswered)

	waitFor(t, "every owed reply delivered", 90*time.Second, func() bool {
		_, got := partnerFake.state()
		sent, _, _ := twilio.state()
		return allIn(owedPartner, got) && allIn(owedSMS, sent)
	})
	drained := time.Since(restartedAt)
	_, got := partnerFake.state()
	sent, to, bad := twilio.state()
	if len(bad) > 0 {
		t.Errorf("the fake Twilio refused %d requests, first %s", len(bad), bad[0])
	}
	t.Logf("replies: %d partner and %d SMS owed, all delivered %s after the restart; sent more than once (in flight at the kill): partner %d, SMS %d",
		len(owedPartner), len(owedSMS), drained.Round(100*time.Millisecond), repeats(got), repeats(sent))
	for id := range got {
		if !owedPartner[id] {
			t.Errorf("the partner received reply %s, which the hub does not have", id)
		}
	}
	for id := range sent {
		if !owedSMS[id] || to[id] != recipient[id] {
			t.Errorf("SMS reply %s sent to the wrong number or unknown to the hub", id)
		}
	}
}

// smsRequest is an inbound SMS as Twilio posts it, signed for the URL the
// hub believes it is reached at (its public URL is http://localhost:port).
func smsRequest(ctx context.Context, p *process, channelID string, e *crashEvent) *http.Request {
	path := "/hooks/sms/" + channelID
	form := url.Values{"MessageSid": {e.id}, "AccountSid": {crashTwilioSID}, "From": {e.guest},
		"To": {crashSMSNumber}, "Body": {e.text}, "NumMedia": {"0"}}
	public := strings.Replace(p.base, "127.0.0.1", "localhost", 1)
	req, _ := http.NewRequestWithContext(ctx, "POST", p.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", sms.Signature(crashTwilioToken, public+path, form))
	return req
}
