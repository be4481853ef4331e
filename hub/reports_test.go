package hub_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"hub/inbox"
)

// reportSeed appends events to the demo workspace at times of 2026-11-20
// ("15:04:05"; "-15:04:05" is the day before, "+15:04:05" the day after).
type reportSeed struct {
	th *testHub
}

func (s reportSeed) add(conv string, typ inbox.EventType, clock string, actor inbox.Author, to inbox.Status, data ...string) {
	s.th.t.Helper()
	day := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	switch clock[0] {
	case '-':
		day, clock = day.AddDate(0, 0, -1), clock[1:]
	case '+':
		day, clock = day.AddDate(0, 0, 1), clock[1:]
	}
	at, err := time.Parse("2006-01-02 15:04:05", day.Format("2006-01-02 ")+clock)
	if err != nil {
		s.th.t.Fatal(err)
	}
	d := map[string]string{}
	for i := 0; i+1 < len(data); i += 2 {
		d[data[i]] = data[i+1]
	}
	e := &inbox.Event{ID: inbox.NewID(), WorkspaceID: s.th.demo.Workspace.ID, ConversationID: conv,
		Type: typ, Actor: actor, To: to, Data: d, At: at}
	if err := s.th.store.AppendEvent(context.Background(), e); err != nil {
		s.th.t.Fatal(err)
	}
}

// reportGet sends an authenticated GET and returns the status, a header and the body.
func (th *testHub) reportGet(path, token string) (int, http.Header, []byte) {
	th.t.Helper()
	req, err := http.NewRequest("GET", th.base+path, nil)
	if err != nil {
		th.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		th.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, body
}

// reportJSON decodes a JSON answer keeping numbers as written.
func reportJSON(t *testing.T, body []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v map[string]any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decoding %s: %v", body, err)
	}
	return v
}

// reportCSV fetches a CSV report, checking how it is served.
func (th *testHub) reportCSV(path, token, filename string) [][]string {
	th.t.Helper()
	status, h, body := th.reportGet(path, token)
	if status != 200 {
		th.t.Fatalf("GET %s: %d %s", path, status, body)
	}
	if ct := h.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		th.t.Errorf("Content-Type = %q", ct)
	}
	if cd := h.Get("Content-Disposition"); cd != `attachment; filename="`+filename+`"` {
		th.t.Errorf("Content-Disposition = %q", cd)
	}
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		th.t.Fatalf("CSV %s: %v", body, err)
	}
	return rows
}

// reportCell renders a JSON value as the CSV writes it.
func reportCell(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case json.Number:
		return v.String()
	case string:
		if v != "" && strings.ContainsAny(v[:1], "=+-@\t\r") {
			return "'" + v
		}
		return v
	}
	panic("unexpected JSON value")
}

func sortedReportKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func TestReports_AgentsAndWorkspaceFromEvents(t *testing.T) {
	th := startHub(t)
	admin := th.login("admin@hotel.test", adminPassword)
	alice, _ := th.addAgent(admin, "alice@hotel.test", "agent")
	bob, _ := th.addAgent(admin, "bob@hotel.test", "agent")
	var eve struct{ ID string }
	th.must(201, "POST", "/api/v1/agents", admin, map[string]string{"email": "eve@hotel.test",
		"name": `=HYPERLINK("http://x.test","Eve")`, "role": "agent", "password": adminPassword}).json(t, &eve)

	ch := th.demo.Channel.ID
	contact := inbox.Author{Type: inbox.AuthorContact, ID: "guest"}
	bot := inbox.Author{Type: inbox.AuthorBot}
	as := func(id string) inbox.Author { return inbox.Author{Type: inbox.AuthorAgent, ID: id} }
	open, closed := inbox.StatusOpen, inbox.StatusClosed
	s := reportSeed{th}
	s.add("c0", inbox.EventCreated, "-23:59:00", contact, open, "channelId", ch)
	s.add("c0", inbox.EventCSAT, "-23:59:30", contact, "", "score", "1", "agentId", alice)
	s.add("c1", inbox.EventCreated, "10:00:00", contact, inbox.StatusBot, "channelId", ch)
	s.add("c1", inbox.EventHandoff, "10:01:00", bot, open, "reason", "requested")
	s.add("c1", inbox.EventAssigned, "10:02:00", as(alice), "", "agentId", alice)
	s.add("c1", inbox.EventReplied, "10:03:00", as(alice), "", "agentId", alice, "waitMs", "120000")
	s.add("c1", inbox.EventClosed, "10:10:00", as(alice), closed, "topic", "booking", "mood", "satisfied", "survey", "true")
	s.add("c1", inbox.EventCSAT, "10:20:00", contact, "", "score", "5", "agentId", alice)
	s.add("c2", inbox.EventCreated, "11:00:00", contact, open, "channelId", ch)
	s.add("c2", inbox.EventReplied, "11:05:00", as(bob), "", "agentId", bob)
	s.add("c2", inbox.EventAssigned, "11:06:00", as(bob), "", "agentId", bob)
	s.add("c2", inbox.EventClosed, "11:20:00", as(bob), closed, "topic", "=evil", "mood", "", "unsure", "true")
	s.add("c2", inbox.EventReopened, "11:30:00", contact, open)
	s.add("c2", inbox.EventReplied, "11:31:00", as(alice), "", "agentId", alice)
	s.add("c2", inbox.EventClosed, "11:40:00", as(alice), closed, "topic", "booking", "mood", "unhappy")
	s.add("c2", inbox.EventCSAT, "11:50:00", contact, "", "score", "2", "agentId", alice)
	s.add("c3", inbox.EventCreated, "12:00:00", contact, inbox.StatusBot, "channelId", ch)
	s.add("c3", inbox.EventClosed, "12:10:00", bot, closed, "automated", "true")
	s.add("c4", inbox.EventCreated, "13:00:00", contact, inbox.StatusBot, "channelId", ch)
	s.add("c4", inbox.EventHandoff, "13:01:00", bot, open, "reason", "unmatched")
	s.add("c4", inbox.EventSpam, "13:02:00", bot, inbox.StatusSpam, "auto", "true", "reason", "links")
	s.add("c5", inbox.EventCreated, "14:00:00", contact, open, "channelId", "sms-1")
	s.add("c5", inbox.EventReplied, "14:02:00", as(alice), "", "agentId", alice)
	s.add("c5", inbox.EventClosed, "+00:00:00", as(alice), closed, "topic", "late")

	// A date as `to` covers that whole day; a "+" left unescaped works too.
	for _, q := range []string{"from=2026-11-20&to=2026-11-20", "from=2026-11-20T01:00:00+01:00&to=2026-11-21T00:00:00Z"} {
		status, _, body := th.reportGet("/api/v1/reports/agents?"+q, admin)
		if status != 200 {
			t.Fatalf("agents report: %d %s", status, body)
		}
		got := reportJSON(t, body)
		if got["from"] != "2026-11-20T00:00:00Z" || got["to"] != "2026-11-21T00:00:00Z" {
			t.Fatalf("%s: range %v to %v", q, got["from"], got["to"])
		}
	}

	_, _, body := th.reportGet("/api/v1/reports/agents?from=2026-11-20&to=2026-11-20", admin)
	items := reportJSON(t, body)["items"].([]any)
	byID := map[string]map[string]any{}
	for _, it := range items {
		m := it.(map[string]any)
		byID[m["agentId"].(string)] = m
	}
	if len(items) != 4 || byID[th.demo.Admin.ID] == nil {
		t.Fatalf("want admin, alice, bob and eve listed: %s", body)
	}
	flat := func(id string) string {
		m := byID[id]
		c := m["csat"].(map[string]any)
		mo := m["moods"].(map[string]any)
		raw, _ := json.Marshal(m["topics"])
		return strings.Join([]string{reportCell(m["handled"]), reportCell(m["closed"]), reportCell(m["medianFirstResponseSeconds"]),
			reportCell(m["medianHandleSeconds"]), reportCell(c["average"]), reportCell(c["count"]), reportCell(c["distribution"].([]any)[0]),
			reportCell(c["distribution"].([]any)[1]), reportCell(c["distribution"].([]any)[4]), reportCell(mo["satisfied"]),
			reportCell(mo["unhappy"]), reportCell(mo["unknown"]), string(raw)}, " ")
	}
	for id, want := range map[string]string{
		// First responses 120, 60, 120; handle times 480 and 600.
		alice:  `3 2 120 540 3.5 2 0 1 1 1 1 0 {"booking":2}`,
		bob:    `1 1 300 840  0 0 0 0 0 0 1 {"=evil":1}`,
		eve.ID: `0 0    0 0 0 0 0 0 0 {}`,
	} {
		if got := flat(id); got != want {
			t.Errorf("agent %s:\n got %s\nwant %s", byID[id]["email"], got, want)
		}
	}

	rows := th.reportCSV("/api/v1/reports/agents.csv?from=2026-11-20&to=2026-11-20", admin, "agents_2026-11-20_2026-11-20.csv")
	header := strings.Join(rows[0], ",")
	if header != "agentId,name,email,handled,closed,medianFirstResponseSeconds,medianHandleSeconds,csatAverage,csatCount,csat1,csat2,csat3,csat4,csat5,satisfied,neutral,unhappy,unknownMood,topics" {
		t.Fatalf("header %s", header)
	}
	var want [][]string
	for _, it := range items {
		m := it.(map[string]any)
		c, mo := m["csat"].(map[string]any), m["moods"].(map[string]any)
		row := []string{reportCell(m["agentId"]), reportCell(m["name"]), reportCell(m["email"]), reportCell(m["handled"]), reportCell(m["closed"]),
			reportCell(m["medianFirstResponseSeconds"]), reportCell(m["medianHandleSeconds"]), reportCell(c["average"]), reportCell(c["count"])}
		for _, n := range c["distribution"].([]any) {
			row = append(row, reportCell(n))
		}
		row = append(row, reportCell(mo["satisfied"]), reportCell(mo["neutral"]), reportCell(mo["unhappy"]), reportCell(mo["unknown"]))
		topics := m["topics"].(map[string]any)
		var parts []string
		for _, k := range sortedReportKeys(topics) {
			parts = append(parts, k+"="+reportCell(topics[k]))
		}
		row = append(row, reportCell(strings.Join(parts, ";")))
		want = append(want, row)
	}
	if !reflect.DeepEqual(rows[1:], want) {
		t.Errorf("agents CSV differs from JSON:\n got %q\nwant %q", rows[1:], want)
	}
	for _, r := range rows[1:] {
		if r[0] == eve.ID && r[1] != `'=HYPERLINK("http://x.test","Eve")` {
			t.Errorf("formula not neutralised: %q", r[1])
		}
		if r[0] == bob && r[18] != "'=evil=1" {
			t.Errorf("bob's topics cell %q", r[18])
		}
	}

	_, _, body = th.reportGet("/api/v1/reports/workspace?from=2026-11-20&to=2026-11-20", admin)
	ws := reportJSON(t, body)
	wantWS := `{"botContainmentRate":0.25,"closed":4,"closedByBot":1,"conversations":5,` +
		`"conversationsByChannel":{"` + ch + `":4,"sms-1":1},"csat":{"average":3.5,"count":2,"distribution":[0,1,0,0,1]},` +
		`"from":"2026-11-20T00:00:00Z","handoffs":2,"handoffsByReason":{"requested":1,"unmatched":1},"spam":1,"spamAuto":1,` +
		`"to":"2026-11-21T00:00:00Z"}`
	if raw, _ := json.Marshal(ws); string(raw) != wantWS {
		t.Errorf("workspace report\n got %s\nwant %s", raw, wantWS)
	}
	rows = th.reportCSV("/api/v1/reports/workspace.csv?from=2026-11-20&to=2026-11-20", admin, "workspace_2026-11-20_2026-11-20.csv")
	csat := ws["csat"].(map[string]any)
	want = [][]string{{"metric", "value"}, {"from", reportCell(ws["from"])}, {"to", reportCell(ws["to"])},
		{"conversations", "5"}, {"conversationsByChannel." + ch, "4"}, {"conversationsByChannel.sms-1", "1"},
		{"closed", "4"}, {"closedByBot", "1"}, {"botContainmentRate", "0.25"}, {"handoffs", "2"},
		{"handoffsByReason.requested", "1"}, {"handoffsByReason.unmatched", "1"}, {"spam", "1"}, {"spamAuto", "1"},
		{"csatAverage", reportCell(csat["average"])}, {"csatCount", "2"}}
	for i, n := range csat["distribution"].([]any) {
		want = append(want, []string{"csat" + string(rune('1'+i)), reportCell(n)})
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("workspace CSV\n got %q\nwant %q", rows, want)
	}

	// Without a range: the last 7 days up to and including now.
	_, _, body = th.reportGet("/api/v1/reports/workspace", admin)
	if got := reportJSON(t, body); got["from"] != "2026-11-14T09:00:00.001Z" || got["to"] != "2026-11-21T09:00:00.001Z" || reportCell(got["conversations"]) != "6" {
		t.Errorf("default range: %s", body)
	}
}

func TestReports_AdminOnlyAndDatesChecked(t *testing.T) {
	th := startHub(t)
	admin := th.login("admin@hotel.test", adminPassword)
	_, agent := th.addAgent(admin, "alice@hotel.test", "agent")
	for _, path := range []string{"/api/v1/reports/agents", "/api/v1/reports/agents.csv", "/api/v1/reports/workspace", "/api/v1/reports/workspace.csv"} {
		if r := th.do("GET", path, agent, nil); r.status != 403 {
			t.Errorf("agent GET %s: %d %s", path, r.status, r.body)
		}
	}
	for q, field := range map[string]string{
		"from=yesterday":                                    "from",
		"from=2026-13-01":                                   "from",
		"to=2026-11-20T25:00:00Z":                           "to",
		"from=2026-11-20&to=2026-11-19":                     "to",
		"from=2024-01-01&to=2026-01-01":                     "from",
		"from=2026-11-20T10:00:00Z&to=2026-11-20T10:00:00Z": "to",
	} {
		for _, path := range []string{"/api/v1/reports/agents?", "/api/v1/reports/workspace.csv?"} {
			r := th.do("GET", path+q, admin, nil)
			var e struct {
				Error struct{ Code, Field string } `json:"error"`
			}
			_ = json.Unmarshal(r.body, &e)
			if r.status != 400 || e.Error.Field != field || e.Error.Code != "invalid_"+field {
				t.Errorf("GET %s%s: %d %s, want 400 naming %q", path, q, r.status, r.body, field)
			}
		}
	}
}
