package api

// Reports (admins only), computed by inbox from the events of a range:
//
//	GET /api/v1/reports/agents         {"from", "to", "items": [AgentReport]}
//	GET /api/v1/reports/agents.csv     one row per agent
//	GET /api/v1/reports/workspace      {"from", "to", ...WorkspaceReport}
//	GET /api/v1/reports/workspace.csv  metric,value rows
//
// ?from= and ?to= take an RFC 3339 time or a date (YYYY-MM-DD, midnight
// UTC). The range is [from, to): a date given as `to` covers that whole
// day, so ?from=2026-11-01&to=2026-11-30 is all of November. Without `to`
// the range ends now; without `from` it starts 7 days before its end. The
// answer's from and to are the exact bounds used (to exclusive).
//
// The CSV files carry the same numbers as the JSON, formatted the same way
// (shortest decimal form, no exponent); null is an empty cell. Text cells
// starting with = + - @ (or a tab or carriage return) get a leading
// apostrophe, so a spreadsheet never runs an agent's name or a wrap-up
// topic as a formula.

import (
	"bytes"
	"encoding/csv"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"hub/inbox"
)

// defaultReportDays is the length of a report range without `from`.
const defaultReportDays = 7

// reportRoutes maps each report path (under /api/v1) to its handler.
func (a *API) reportRoutes() map[string]fiber.Handler {
	return map[string]fiber.Handler{
		"/reports/agents":        a.agentReports,
		"/reports/agents.csv":    a.agentReportsCSV,
		"/reports/workspace":     a.workspaceReport,
		"/reports/workspace.csv": a.workspaceReportCSV,
	}
}

// reportRange reads ?from= and ?to=.
func (a *API) reportRange(c *fiber.Ctx) (from, to time.Time, err error) {
	// The end is exclusive: "up to now" must include what happened this
	// very millisecond (a rating just given).
	to = a.now().UTC().Truncate(time.Millisecond).Add(time.Millisecond)
	if v := c.Query("to"); v != "" {
		t, isDate, ok := parseReportTime(v)
		if !ok {
			return from, to, inbox.Invalid("to", "use an RFC 3339 time or a date (YYYY-MM-DD)")
		}
		if isDate {
			t = t.AddDate(0, 0, 1)
		}
		to = t
	}
	from = to.AddDate(0, 0, -defaultReportDays)
	if v := c.Query("from"); v != "" {
		t, _, ok := parseReportTime(v)
		if !ok {
			return from, to, inbox.Invalid("from", "use an RFC 3339 time or a date (YYYY-MM-DD)")
		}
		from = t
	}
	return from, to, nil
}

// parseReportTime parses an RFC 3339 time or a date (midnight UTC).
func parseReportTime(v string) (t time.Time, isDate, ok bool) {
	if d, err := time.Parse(time.DateOnly, v); err == nil {
		return d, true, true
	}
	// A "+" of an offset arrives as a space when the client did not
	// escape it in the query string.
	t, err := time.Parse(time.RFC3339Nano, strings.ReplaceAll(v, " ", "+"))
	if err != nil {
		return time.Time{}, false, false
	}
	return t.UTC(), false, true
}

func (a *API) agentRows(c *fiber.Ctx) (from, to time.Time, items []inbox.AgentReport, err error) {
	if from, to, err = a.reportRange(c); err != nil {
		return
	}
	items, err = a.svc.AgentReports(c.UserContext(), actor(c), from, to)
	return
}

func (a *API) agentReports(c *fiber.Ctx) error {
	from, to, items, err := a.agentRows(c)
	if err != nil {
		return err
	}
	if items == nil {
		items = []inbox.AgentReport{}
	}
	return c.JSON(fiber.Map{"from": from, "to": to, "items": items})
}

// agentCSVHeader names the agents CSV columns.
var agentCSVHeader = []string{
	"agentId", "name", "email", "handled", "closed", "medianFirstResponseSeconds", "medianHandleSeconds",
	"csatAverage", "csatCount", "csat1", "csat2", "csat3", "csat4", "csat5",
	"satisfied", "neutral", "unhappy", "unknownMood", "topics",
}

func (a *API) agentReportsCSV(c *fiber.Ctx) error {
	from, to, items, err := a.agentRows(c)
	if err != nil {
		return err
	}
	rows := [][]string{agentCSVHeader}
	for _, r := range items {
		row := []string{
			textCell(r.AgentID), textCell(r.Name), textCell(r.Email),
			strconv.Itoa(r.Handled), strconv.Itoa(r.Closed),
			floatCell(r.MedianFirstResponseSeconds), floatCell(r.MedianHandleSeconds),
			floatCell(r.CSAT.Average), strconv.Itoa(r.CSAT.Count),
		}
		for _, n := range r.CSAT.Distribution {
			row = append(row, strconv.Itoa(n))
		}
		row = append(row,
			strconv.Itoa(r.Moods.Satisfied), strconv.Itoa(r.Moods.Neutral),
			strconv.Itoa(r.Moods.Unhappy), strconv.Itoa(r.Moods.Unknown),
			textCell(topicsCell(r.Topics)))
		rows = append(rows, row)
	}
	return sendCSV(c, "agents", from, to, rows)
}

// topicsCell is "topic=n;topic=n", topics in alphabetical order.
func topicsCell(topics map[string]int) string {
	parts := make([]string, 0, len(topics))
	for _, topic := range sortedKeys(topics) {
		parts = append(parts, topic+"="+strconv.Itoa(topics[topic]))
	}
	return strings.Join(parts, ";")
}

func (a *API) workspaceRows(c *fiber.Ctx) (from, to time.Time, r inbox.WorkspaceReport, err error) {
	if from, to, err = a.reportRange(c); err != nil {
		return
	}
	r, err = a.svc.WorkspaceReport(c.UserContext(), actor(c), from, to)
	return
}

// workspaceReportJSON is the workspace report with its range, flat.
type workspaceReportJSON struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	inbox.WorkspaceReport
}

func (a *API) workspaceReport(c *fiber.Ctx) error {
	from, to, r, err := a.workspaceRows(c)
	if err != nil {
		return err
	}
	return c.JSON(workspaceReportJSON{From: from, To: to, WorkspaceReport: r})
}

// workspaceReportCSV writes metric,value rows named like the JSON fields;
// map entries are "conversationsByChannel.<channel id>" and
// "handoffsByReason.<reason>", CSAT scores "csat1".."csat5".
func (a *API) workspaceReportCSV(c *fiber.Ctx) error {
	from, to, r, err := a.workspaceRows(c)
	if err != nil {
		return err
	}
	rows := [][]string{
		{"metric", "value"},
		{"from", from.Format(time.RFC3339Nano)},
		{"to", to.Format(time.RFC3339Nano)},
		{"conversations", strconv.Itoa(r.Conversations)},
	}
	add := func(metric, value string) { rows = append(rows, []string{textCell(metric), value}) }
	for _, ch := range sortedKeys(r.ConversationsByChannel) {
		add("conversationsByChannel."+ch, strconv.Itoa(r.ConversationsByChannel[ch]))
	}
	add("closed", strconv.Itoa(r.Closed))
	add("closedByBot", strconv.Itoa(r.ClosedByBot))
	add("botContainmentRate", floatCell(r.BotContainmentRate))
	add("handoffs", strconv.Itoa(r.Handoffs))
	for _, reason := range sortedKeys(r.HandoffsByReason) {
		add("handoffsByReason."+reason, strconv.Itoa(r.HandoffsByReason[reason]))
	}
	add("spam", strconv.Itoa(r.Spam))
	add("spamAuto", strconv.Itoa(r.SpamAuto))
	add("csatAverage", floatCell(r.CSAT.Average))
	add("csatCount", strconv.Itoa(r.CSAT.Count))
	for i, n := range r.CSAT.Distribution {
		add("csat"+strconv.Itoa(i+1), strconv.Itoa(n))
	}
	return sendCSV(c, "workspace", from, to, rows)
}

// sendCSV answers with rows as a CSV attachment named after the report and
// its range ("agents_2026-11-14_2026-11-20.csv", both days included).
func sendCSV(c *fiber.Ctx, report string, from, to time.Time, rows [][]string) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	if err := w.WriteAll(rows); err != nil {
		return err
	}
	last := to.Add(-time.Nanosecond)
	name := report + "_" + from.Format(time.DateOnly) + "_" + last.Format(time.DateOnly) + ".csv"
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Send(buf.Bytes())
}

// floatCell formats a number as encoding/json does for the values reports
// hold (no exponent); nil is an empty cell.
func floatCell(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// textCell neutralises spreadsheet formulas: a cell starting with = + - @,
// a tab or a carriage return gets a leading apostrophe.
func textCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
