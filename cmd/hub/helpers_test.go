package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"hub/adapters/partner"
)

// Helpers shared by the crash and shutdown tests: an HTTP client for many
// concurrent senders, signed partner webhooks, and reading everything the
// hub stored back through its API.

// shuttleAnswer is the bot's answer to "shuttle", the rule both load tests
// create: every customer message of theirs is owed this reply.
const shuttleAnswer = "The airport shuttle leaves from the main door every hour."

// loadClient keeps a connection per sender: the default client keeps two
// idle connections per host, so 16 senders would dial for most requests.
func loadClient(t *testing.T) *http.Client {
	tr := &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 64, DisableCompression: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: time.Minute}
}

// partnerAck is the hub's 200 answer to a partner webhook.
type partnerAck struct {
	Status         string `json:"status"`
	MessageID      string `json:"messageId"`
	ConversationID string `json:"conversationId"`
	Duplicate      bool   `json:"duplicate"`
}

// partnerRequest is a guest message as a partner sends it, signed with
// restartSecret and a fresh timestamp (retries are signed anew).
func partnerRequest(ctx context.Context, base, channelID, eventID, guestID, text string) *http.Request {
	body, _ := json.Marshal(map[string]any{
		"eventId": eventID, "type": "message", "guest": map[string]string{"id": guestID}, "text": text,
	})
	ts, sig := partner.Sign([]byte(restartSecret), body, time.Now())
	req, _ := http.NewRequestWithContext(ctx, "POST", base+"/hooks/partner/"+channelID, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(partner.HeaderTimestamp, ts)
	req.Header.Set(partner.HeaderSignature, sig)
	return req
}

// do sends req and reads the whole answer: a response cut short is an
// error, like a refused connection.
func do(c *http.Client, req *http.Request) (status int, body []byte, err error) {
	res, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	body, err = io.ReadAll(res.Body)
	return res.StatusCode, body, err
}

// refused reports a connection the kernel refused: nothing listens, so
// nothing was sent.
func refused(err error) bool { return errors.Is(err, syscall.ECONNREFUSED) }

// createChannel creates a channel through the admin API and returns its id.
func createChannel(t *testing.T, p *process, token string, body map[string]any) string {
	t.Helper()
	var ch struct{ ID string }
	p.call(t, "POST", "/api/v1/channels", token, body, 201, &ch)
	return ch.ID
}

// createShuttleRule makes the bot answer every message about the shuttle.
func createShuttleRule(t *testing.T, p *process, token string) {
	t.Helper()
	p.call(t, "POST", "/api/v1/bot/rules", token, map[string]any{
		"name": "Shuttle", "keywords": []string{"shuttle"}, "answer": shuttleAnswer, "priority": 50,
	}, 201, nil)
}

// storedMessage and storedConversation are the API's views, reduced to
// what the tests check.
type storedMessage struct {
	ID        string    `json:"id"`
	Direction string    `json:"direction"`
	Text      string    `json:"text"`
	Delivery  string    `json:"delivery"`
	CreatedAt time.Time `json:"createdAt"`
	Author    struct {
		Type string `json:"type"`
	} `json:"author"`
}

type storedConversation struct {
	ID      string `json:"id"`
	Channel struct {
		ID string `json:"id"`
	} `json:"channel"`
	Contact struct {
		Handle string `json:"handle"`
	} `json:"contact"`
	Messages []storedMessage `json:"-"`
}

// readInbox returns every conversation of the admin's workspace with its
// messages: the conversation list page by page, then each conversation's
// messages with a few workers.
func readInbox(t *testing.T, p *process, token string) []*storedConversation {
	t.Helper()
	c := &http.Client{Timeout: 30 * time.Second}
	var all []*storedConversation
	for cursor := ""; ; {
		var page struct {
			Items []*storedConversation `json:"items"`
			Next  string                `json:"next"`
		}
		if err := getJSON(t.Context(), c, p.base+"/api/v1/conversations?status=all&cursor="+url.QueryEscape(cursor), token, &page); err != nil {
			t.Fatal(err)
		}
		all = append(all, page.Items...)
		if page.Next == "" || len(page.Items) == 0 {
			break
		}
		cursor = page.Next
	}
	work := make(chan *storedConversation)
	errs := make(chan error, len(all))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for conv := range work {
				var msgs struct{ Items []storedMessage }
				if err := getJSON(t.Context(), c, p.base+"/api/v1/conversations/"+conv.ID+"/messages", token, &msgs); err != nil {
					errs <- err
					continue
				}
				conv.Messages = msgs.Items
			}
		})
	}
	for _, conv := range all {
		work <- conv
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	return all
}

func getJSON(ctx context.Context, c *http.Client, target, token string, out any) error {
	req, _ := http.NewRequestWithContext(ctx, "GET", target, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	status, body, err := do(c, req)
	if err != nil {
		return err
	}
	if status != 200 {
		return fmt.Errorf("GET %s: %d %s", strings.TrimPrefix(target, "http://"), status, body)
	}
	return json.Unmarshal(body, out)
}

// inbound returns the customer's messages of a conversation.
func (c *storedConversation) inbound() []storedMessage {
	var in []storedMessage
	for _, m := range c.Messages {
		if m.Direction == "in" {
			in = append(in, m)
		}
	}
	return in
}

// allIn reports whether every wanted id was received at least once.
func allIn(want map[string]bool, got map[string]int) bool {
	for id := range want {
		if got[id] == 0 {
			return false
		}
	}
	return true
}

// repeats counts the ids received more than once.
func repeats(got map[string]int) int {
	n := 0
	for _, c := range got {
		if c > 1 {
			n++
		}
	}
	return n
}
