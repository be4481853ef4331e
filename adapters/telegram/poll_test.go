package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"hub/adapters"
	"hub/adapters/internal/adapterstest"
)

const httpHub = "http://192.168.1.20:8080"

func textUpd(id int, text string) string {
	return fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":1763719200,"from":{"id":777,"first_name":"Anna"},"chat":{"id":777,"type":"private"},"text":%q}}`, id, id, text)
}

// getUpdatesWithOffset reports whether getUpdates was called with offset.
func (f *fakeAPI) getUpdatesWithOffset(offset string) bool {
	for _, c := range f.callsTo("getUpdates") {
		if c.Params.Get("offset") == offset {
			return true
		}
	}
	return false
}

func TestPoll_DeletesWebhookThenDeliversInOrderAndAdvancesOffset(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpHub)
	e.api.push(textUpd(10, "a"), textUpd(11, "b"), textUpd(12, "c"))
	e.run()

	adapterstest.Eventually(t, "three updates stored", func() bool { return len(e.sink.storedIDs()) == 3 })
	adapterstest.Eventually(t, "getUpdates with offset 13", func() bool { return e.api.getUpdatesWithOffset("13") })
	if got := e.sink.storedIDs(); !reflect.DeepEqual(got, []string{"10", "11", "12"}) {
		t.Fatalf("stored %v, want in order", got)
	}
	methods := e.api.methods()
	if len(methods) < 2 || methods[0] != "deleteWebhook" || methods[1] != "getUpdates" {
		t.Fatalf("calls %v: want deleteWebhook before any getUpdates", methods)
	}
	first := e.api.callsTo("getUpdates")[0]
	if first.Params.Get("timeout") != "1" || first.Params.Get("allowed_updates") != `["message","callback_query"]` ||
		first.Params.Has("offset") || first.Token != testToken {
		t.Fatalf("first getUpdates params %v", first.Params)
	}

	e.api.push(textUpd(13, "d"))
	adapterstest.Eventually(t, "update 13 stored", func() bool { return len(e.sink.storedIDs()) == 4 })
	adapterstest.Eventually(t, "getUpdates with offset 14", func() bool { return e.api.getUpdatesWithOffset("14") })
	if n := e.sink.attemptCount(); n != 4 {
		t.Fatalf("%d deliveries for 4 updates", n)
	}
}

func TestPoll_DeliverFailureRedeliversSameUpdate(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpHub)
	e.sink.fail = func(in adapters.Inbound, attempt int) error {
		if in.ExternalID == "21" && attempt == 1 {
			return errors.New("store unavailable")
		}
		return nil
	}
	e.api.push(textUpd(20, "a"), textUpd(21, "b"), textUpd(22, "c"))
	e.run()

	adapterstest.Eventually(t, "all stored", func() bool { return len(e.sink.storedIDs()) == 3 })
	if got := e.sink.storedIDs(); !reflect.DeepEqual(got, []string{"20", "21", "22"}) {
		t.Fatalf("stored %v", got)
	}
	// Expected offsets: none, 21 (retry from the failed update, which
	// returns 21 and 22 again), then 23.
	adapterstest.Eventually(t, "getUpdates with offset 23", func() bool { return e.api.getUpdatesWithOffset("23") })
	var offsets []int
	for _, c := range e.api.callsTo("getUpdates") {
		o, _ := strconv.Atoi(c.Params.Get("offset"))
		offsets = append(offsets, o)
	}
	if !slices.Contains(offsets, 21) || slices.Contains(offsets, 22) || !slices.IsSorted(offsets) {
		t.Fatalf("getUpdates offsets %v: want a retry from 21 and never a skip past it", offsets)
	}
	if n := e.sink.attemptCount(); n != 4 {
		t.Fatalf("%d deliveries, want 4 (update 21 twice)", n)
	}
}

func TestPoll_SkipsUpdateTheHubRefusesForGood(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpHub)
	e.sink.fail = func(in adapters.Inbound, _ int) error {
		if in.ExternalID == "30" {
			return adapters.Errorf(http.StatusBadRequest, "text_too_long", "too long")
		}
		return nil
	}
	e.api.push(textUpd(30, "x"), textUpd(31, "y"))
	e.run()
	adapterstest.Eventually(t, "update 31 stored", func() bool { return len(e.sink.storedIDs()) == 1 })
	adapterstest.Eventually(t, "offset past both", func() bool { return e.api.getUpdatesWithOffset("32") })
	if n := e.sink.attemptCount(); n != 2 {
		t.Fatalf("%d attempts, want 2 (the refused update is not retried)", n)
	}
}

func TestPoll_StopsWhenContextCancelled(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpHub)
	stop := e.run()
	adapterstest.Eventually(t, "a long poll", func() bool { return len(e.api.callsTo("getUpdates")) > 0 })
	start := time.Now()
	stop() // fails the test if Run does not return or leaves pollers
	if d := time.Since(start); d > 900*time.Millisecond {
		t.Fatalf("Run took %v to return: the long poll was not interrupted", d)
	}
	n := len(e.api.callsTo("getUpdates"))
	time.Sleep(300 * time.Millisecond)
	if m := len(e.api.callsTo("getUpdates")); m != n {
		t.Fatalf("getUpdates called %d more times after Run returned", m-n)
	}
}

func TestPoll_StopsWhenChannelDisappears(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpHub)
	e.dir.Put(e.channel("tg2", testToken2))
	e.run()
	polling := func(id string) bool {
		e.a.mu.Lock()
		defer e.a.mu.Unlock()
		return e.a.pollers[id] != nil
	}
	adapterstest.Eventually(t, "both channels polling", func() bool { return polling("tg1") && polling("tg2") })

	// tg1: removed and announced; tg2: gone from the directory, found by a sweep.
	e.dir.Remove("tg1")
	if err := e.a.ChannelChanged(context.Background(), e.channel("tg1", testToken), true); err != nil {
		t.Fatal(err)
	}
	if polling("tg1") {
		t.Fatal("tg1 still polling after ChannelChanged(removed)")
	}
	e.dir.Remove("tg2")
	adapterstest.Eventually(t, "tg2 stopped by a sweep", func() bool { return !polling("tg2") })

	n := len(e.api.callsTo("getUpdates"))
	time.Sleep(300 * time.Millisecond)
	if m := len(e.api.callsTo("getUpdates")); m != n {
		t.Fatalf("getUpdates called %d more times after both channels went away", m-n)
	}
}

func TestPoll_RestartsWithNewToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpHub)
	e.run()
	adapterstest.Eventually(t, "polling with the first token", func() bool { return len(e.api.callsTo("getUpdates")) > 0 })

	changed := e.channel("tg1", testToken2)
	e.dir.Put(changed)
	if err := e.a.ChannelChanged(context.Background(), changed, false); err != nil {
		t.Fatal(err)
	}
	adapterstest.Eventually(t, "getUpdates with the new token", func() bool {
		calls := e.api.callsTo("getUpdates")
		return len(calls) > 0 && calls[len(calls)-1].Token == testToken2
	})
	var deletes []string
	for _, c := range e.api.callsTo("deleteWebhook") {
		deletes = append(deletes, c.Token)
	}
	if !reflect.DeepEqual(deletes, []string{testToken, testToken2}) {
		t.Fatal("deleteWebhook not called once per token before polling")
	}
	e.a.mu.Lock()
	n := len(e.a.pollers)
	e.a.mu.Unlock()
	if n != 1 {
		t.Fatalf("%d pollers for one channel", n)
	}
}
