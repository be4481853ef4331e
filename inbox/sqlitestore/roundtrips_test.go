package sqlitestore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"hub/inbox"
)

// roundTripStore counts every call the service makes to its store, by
// method. Each method of inbox.Store at the time of writing is counted;
// one added to the interface later passes through the embedded Store
// uncounted until it is added here.
type roundTripStore struct {
	inbox.Store

	mu    sync.Mutex
	calls map[string]int
	spent map[string]time.Duration
}

func countRoundTrips(st inbox.Store) *roundTripStore {
	return &roundTripStore{Store: st, calls: map[string]int{}, spent: map[string]time.Duration{}}
}

// hit counts one call of method, begun at start and ended now.
func (s *roundTripStore) hit(method string, start time.Time) {
	d := time.Since(start)
	s.mu.Lock()
	s.calls[method]++
	s.spent[method] += d
	s.mu.Unlock()
}

// take returns the calls counted since the last take, and their total.
func (s *roundTripStore) take() (map[string]int, int) {
	calls, _, total := s.takeTimed()
	return calls, total
}

// takeTimed is take with the time spent in each method's calls.
func (s *roundTripStore) takeTimed() (map[string]int, map[string]time.Duration, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	calls, spent, total := s.calls, s.spent, 0
	for _, n := range calls {
		total += n
	}
	s.calls, s.spent = map[string]int{}, map[string]time.Duration{}
	return calls, spent, total
}

func (s *roundTripStore) Ping(ctx context.Context) error {
	defer s.hit("Ping", time.Now())
	return s.Store.Ping(ctx)
}

func (s *roundTripStore) CreateWorkspace(ctx context.Context, w *inbox.Workspace) error {
	defer s.hit("CreateWorkspace", time.Now())
	return s.Store.CreateWorkspace(ctx, w)
}

func (s *roundTripStore) GetWorkspace(ctx context.Context, id string) (*inbox.Workspace, error) {
	defer s.hit("GetWorkspace", time.Now())
	return s.Store.GetWorkspace(ctx, id)
}

func (s *roundTripStore) ListWorkspaces(ctx context.Context) ([]inbox.Workspace, error) {
	defer s.hit("ListWorkspaces", time.Now())
	return s.Store.ListWorkspaces(ctx)
}

func (s *roundTripStore) UpdateWorkspace(ctx context.Context, w *inbox.Workspace) error {
	defer s.hit("UpdateWorkspace", time.Now())
	return s.Store.UpdateWorkspace(ctx, w)
}

func (s *roundTripStore) CreateAgent(ctx context.Context, a *inbox.Agent) error {
	defer s.hit("CreateAgent", time.Now())
	return s.Store.CreateAgent(ctx, a)
}

func (s *roundTripStore) GetAgent(ctx context.Context, workspaceID, id string) (*inbox.Agent, error) {
	defer s.hit("GetAgent", time.Now())
	return s.Store.GetAgent(ctx, workspaceID, id)
}

func (s *roundTripStore) GetAgentByEmail(ctx context.Context, email string) (*inbox.Agent, error) {
	defer s.hit("GetAgentByEmail", time.Now())
	return s.Store.GetAgentByEmail(ctx, email)
}

func (s *roundTripStore) ListAgents(ctx context.Context, workspaceID string) ([]inbox.Agent, error) {
	defer s.hit("ListAgents", time.Now())
	return s.Store.ListAgents(ctx, workspaceID)
}

func (s *roundTripStore) UpdateAgent(ctx context.Context, a *inbox.Agent) error {
	defer s.hit("UpdateAgent", time.Now())
	return s.Store.UpdateAgent(ctx, a)
}

func (s *roundTripStore) SetAgentStatus(ctx context.Context, workspaceID, agentID string, st inbox.AgentStatus, at time.Time) error {
	defer s.hit("SetAgentStatus", time.Now())
	return s.Store.SetAgentStatus(ctx, workspaceID, agentID, st, at)
}

func (s *roundTripStore) SetAgentRoutedAt(ctx context.Context, workspaceID, agentID string, at time.Time) error {
	defer s.hit("SetAgentRoutedAt", time.Now())
	return s.Store.SetAgentRoutedAt(ctx, workspaceID, agentID, at)
}

func (s *roundTripStore) CreateTeam(ctx context.Context, t *inbox.Team) error {
	defer s.hit("CreateTeam", time.Now())
	return s.Store.CreateTeam(ctx, t)
}

func (s *roundTripStore) GetTeam(ctx context.Context, workspaceID, id string) (*inbox.Team, error) {
	defer s.hit("GetTeam", time.Now())
	return s.Store.GetTeam(ctx, workspaceID, id)
}

func (s *roundTripStore) ListTeams(ctx context.Context, workspaceID string) ([]inbox.Team, error) {
	defer s.hit("ListTeams", time.Now())
	return s.Store.ListTeams(ctx, workspaceID)
}

func (s *roundTripStore) UpdateTeam(ctx context.Context, t *inbox.Team) error {
	defer s.hit("UpdateTeam", time.Now())
	return s.Store.UpdateTeam(ctx, t)
}

func (s *roundTripStore) DeleteTeam(ctx context.Context, workspaceID, id string) error {
	defer s.hit("DeleteTeam", time.Now())
	return s.Store.DeleteTeam(ctx, workspaceID, id)
}

func (s *roundTripStore) CreateChannel(ctx context.Context, c *inbox.Channel) error {
	defer s.hit("CreateChannel", time.Now())
	return s.Store.CreateChannel(ctx, c)
}

func (s *roundTripStore) GetChannel(ctx context.Context, workspaceID, id string) (*inbox.Channel, error) {
	defer s.hit("GetChannel", time.Now())
	return s.Store.GetChannel(ctx, workspaceID, id)
}

func (s *roundTripStore) FindChannel(ctx context.Context, id string) (*inbox.Channel, error) {
	defer s.hit("FindChannel", time.Now())
	return s.Store.FindChannel(ctx, id)
}

func (s *roundTripStore) ListChannels(ctx context.Context, workspaceID string) ([]inbox.Channel, error) {
	defer s.hit("ListChannels", time.Now())
	return s.Store.ListChannels(ctx, workspaceID)
}

func (s *roundTripStore) ListChannelsOfType(ctx context.Context, t inbox.ChannelType) ([]inbox.Channel, error) {
	defer s.hit("ListChannelsOfType", time.Now())
	return s.Store.ListChannelsOfType(ctx, t)
}

func (s *roundTripStore) UpdateChannel(ctx context.Context, c *inbox.Channel) error {
	defer s.hit("UpdateChannel", time.Now())
	return s.Store.UpdateChannel(ctx, c)
}

func (s *roundTripStore) FindOrCreateContact(ctx context.Context, workspaceID string, id inbox.Identity, name string) (*inbox.Contact, error) {
	defer s.hit("FindOrCreateContact", time.Now())
	return s.Store.FindOrCreateContact(ctx, workspaceID, id, name)
}

func (s *roundTripStore) FindContact(ctx context.Context, workspaceID string, id inbox.Identity) (*inbox.Contact, error) {
	defer s.hit("FindContact", time.Now())
	return s.Store.FindContact(ctx, workspaceID, id)
}

func (s *roundTripStore) GetContact(ctx context.Context, workspaceID, id string) (*inbox.Contact, error) {
	defer s.hit("GetContact", time.Now())
	return s.Store.GetContact(ctx, workspaceID, id)
}

func (s *roundTripStore) SetContactBlocked(ctx context.Context, workspaceID, contactID, channelID string, blocked bool) error {
	defer s.hit("SetContactBlocked", time.Now())
	return s.Store.SetContactBlocked(ctx, workspaceID, contactID, channelID, blocked)
}

func (s *roundTripStore) CreateConversation(ctx context.Context, c *inbox.Conversation) error {
	defer s.hit("CreateConversation", time.Now())
	return s.Store.CreateConversation(ctx, c)
}

func (s *roundTripStore) GetConversation(ctx context.Context, workspaceID, id string) (*inbox.Conversation, error) {
	defer s.hit("GetConversation", time.Now())
	return s.Store.GetConversation(ctx, workspaceID, id)
}

func (s *roundTripStore) FindConversation(ctx context.Context, workspaceID, channelID, contactID string) (*inbox.Conversation, error) {
	defer s.hit("FindConversation", time.Now())
	return s.Store.FindConversation(ctx, workspaceID, channelID, contactID)
}

func (s *roundTripStore) UpdateConversation(ctx context.Context, c *inbox.Conversation) error {
	defer s.hit("UpdateConversation", time.Now())
	return s.Store.UpdateConversation(ctx, c)
}

func (s *roundTripStore) ListConversations(ctx context.Context, f inbox.ConversationFilter) ([]inbox.Conversation, string, error) {
	defer s.hit("ListConversations", time.Now())
	return s.Store.ListConversations(ctx, f)
}

func (s *roundTripStore) ListQueue(ctx context.Context, workspaceID, teamID string, limit int) ([]inbox.Conversation, error) {
	defer s.hit("ListQueue", time.Now())
	return s.Store.ListQueue(ctx, workspaceID, teamID, limit)
}

func (s *roundTripStore) CountAssigned(ctx context.Context, workspaceID, agentID string, st inbox.Status) (int, error) {
	defer s.hit("CountAssigned", time.Now())
	return s.Store.CountAssigned(ctx, workspaceID, agentID, st)
}

func (s *roundTripStore) ListOffersDue(ctx context.Context, now time.Time, limit int) ([]inbox.Conversation, error) {
	defer s.hit("ListOffersDue", time.Now())
	return s.Store.ListOffersDue(ctx, now, limit)
}

func (s *roundTripStore) ReleaseDueHolds(ctx context.Context, now time.Time, limit int) ([]inbox.Conversation, error) {
	defer s.hit("ReleaseDueHolds", time.Now())
	return s.Store.ReleaseDueHolds(ctx, now, limit)
}

func (s *roundTripStore) AddMessage(ctx context.Context, m *inbox.Message) error {
	defer s.hit("AddMessage", time.Now())
	return s.Store.AddMessage(ctx, m)
}

func (s *roundTripStore) GetMessage(ctx context.Context, workspaceID, id string) (*inbox.Message, error) {
	defer s.hit("GetMessage", time.Now())
	return s.Store.GetMessage(ctx, workspaceID, id)
}

func (s *roundTripStore) FindMessageByExternalID(ctx context.Context, channelID, externalID string) (*inbox.Message, error) {
	defer s.hit("FindMessageByExternalID", time.Now())
	return s.Store.FindMessageByExternalID(ctx, channelID, externalID)
}

func (s *roundTripStore) FindSentMessageByExternalID(ctx context.Context, channelID, externalID string) (*inbox.Message, error) {
	defer s.hit("FindSentMessageByExternalID", time.Now())
	return s.Store.FindSentMessageByExternalID(ctx, channelID, externalID)
}

func (s *roundTripStore) ListMessages(ctx context.Context, workspaceID, conversationID, afterID string, limit int) ([]inbox.Message, error) {
	defer s.hit("ListMessages", time.Now())
	return s.Store.ListMessages(ctx, workspaceID, conversationID, afterID, limit)
}

func (s *roundTripStore) ClaimOutbound(ctx context.Context, now, leaseUntil time.Time, limit int) ([]inbox.Message, error) {
	defer s.hit("ClaimOutbound", time.Now())
	return s.Store.ClaimOutbound(ctx, now, leaseUntil, limit)
}

func (s *roundTripStore) RetryOutbound(ctx context.Context, workspaceID, messageID string, attempts int, next time.Time, errText string) error {
	defer s.hit("RetryOutbound", time.Now())
	return s.Store.RetryOutbound(ctx, workspaceID, messageID, attempts, next, errText)
}

func (s *roundTripStore) AdvanceDelivery(ctx context.Context, workspaceID, messageID string, d inbox.Delivery, errText, externalID string) (bool, error) {
	defer s.hit("AdvanceDelivery", time.Now())
	return s.Store.AdvanceDelivery(ctx, workspaceID, messageID, d, errText, externalID)
}

func (s *roundTripStore) AppendEvent(ctx context.Context, e *inbox.Event) error {
	defer s.hit("AppendEvent", time.Now())
	return s.Store.AppendEvent(ctx, e)
}

func (s *roundTripStore) AppendEvents(ctx context.Context, events []*inbox.Event) error {
	defer s.hit("AppendEvents", time.Now())
	return s.Store.AppendEvents(ctx, events)
}

func (s *roundTripStore) ListEvents(ctx context.Context, workspaceID, conversationID string) ([]inbox.Event, error) {
	defer s.hit("ListEvents", time.Now())
	return s.Store.ListEvents(ctx, workspaceID, conversationID)
}

func (s *roundTripStore) ListEventsBetween(ctx context.Context, workspaceID string, from, to time.Time, afterID string, limit int) ([]inbox.Event, error) {
	defer s.hit("ListEventsBetween", time.Now())
	return s.Store.ListEventsBetween(ctx, workspaceID, from, to, afterID, limit)
}

func (s *roundTripStore) AddChatMessage(ctx context.Context, m *inbox.ChatMessage) error {
	defer s.hit("AddChatMessage", time.Now())
	return s.Store.AddChatMessage(ctx, m)
}

func (s *roundTripStore) ListChatMessages(ctx context.Context, workspaceID, room, afterID string, limit int) ([]inbox.ChatMessage, error) {
	defer s.hit("ListChatMessages", time.Now())
	return s.Store.ListChatMessages(ctx, workspaceID, room, afterID, limit)
}

func (s *roundTripStore) CreateSession(ctx context.Context, x *inbox.Session) error {
	defer s.hit("CreateSession", time.Now())
	return s.Store.CreateSession(ctx, x)
}

func (s *roundTripStore) GetSession(ctx context.Context, tokenHash string) (*inbox.Session, error) {
	defer s.hit("GetSession", time.Now())
	return s.Store.GetSession(ctx, tokenHash)
}

func (s *roundTripStore) DeleteSession(ctx context.Context, tokenHash string) error {
	defer s.hit("DeleteSession", time.Now())
	return s.Store.DeleteSession(ctx, tokenHash)
}

func (s *roundTripStore) SaveBotRule(ctx context.Context, r *inbox.BotRule) error {
	defer s.hit("SaveBotRule", time.Now())
	return s.Store.SaveBotRule(ctx, r)
}

func (s *roundTripStore) ListBotRules(ctx context.Context, workspaceID string) ([]inbox.BotRule, error) {
	defer s.hit("ListBotRules", time.Now())
	return s.Store.ListBotRules(ctx, workspaceID)
}

func (s *roundTripStore) DeleteBotRule(ctx context.Context, workspaceID, id string) error {
	defer s.hit("DeleteBotRule", time.Now())
	return s.Store.DeleteBotRule(ctx, workspaceID, id)
}

// sqlStatement is one statement a traced store sent to SQLite.
type sqlStatement struct {
	query string
	args  []any
}

// sqlTrace records the statements of the connections of tracingDriver.
type sqlTrace struct {
	mu    sync.Mutex
	stmts []sqlStatement
}

func (tr *sqlTrace) add(query string, args []driver.NamedValue) {
	st := sqlStatement{query: query}
	for _, a := range args {
		st.args = append(st.args, a.Value)
	}
	tr.mu.Lock()
	tr.stmts = append(tr.stmts, st)
	tr.mu.Unlock()
}

// take returns the statements recorded since the last take.
func (tr *sqlTrace) take() []sqlStatement {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	out := tr.stmts
	tr.stmts = nil
	return out
}

// tracingConnector opens connections of the SQLite driver that record
// every statement they are given.
type tracingConnector struct {
	drv   driver.Driver
	dsn   string
	trace *sqlTrace
}

func (c tracingConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &tracingConn{Conn: conn, trace: c.trace}, nil
}

func (c tracingConnector) Driver() driver.Driver { return c.drv }

// tracingConn records each statement, then hands it to the SQLite
// connection, which implements every interface used here.
type tracingConn struct {
	driver.Conn
	trace *sqlTrace
}

func (c *tracingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	c.trace.add(query, args)
	return c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
}

func (c *tracingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	c.trace.add(query, args)
	return c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
}

// PrepareContext records nothing yet: the store's statement cache
// prepares each statement once, and each execution is recorded with its
// arguments by tracingStmt.
func (c *tracingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	st, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return &tracingStmt{Stmt: st, query: query, trace: c.trace}, nil
}

// tracingStmt records each execution of a prepared statement.
type tracingStmt struct {
	driver.Stmt
	query string
	trace *sqlTrace
}

func (s *tracingStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	s.trace.add(s.query, args)
	return s.Stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (s *tracingStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	s.trace.add(s.query, args)
	return s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
}

func (c *tracingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c *tracingConn) Ping(ctx context.Context) error {
	return c.Conn.(driver.Pinger).Ping(ctx)
}

func (c *tracingConn) ResetSession(ctx context.Context) error {
	return c.Conn.(driver.SessionResetter).ResetSession(ctx)
}

func (c *tracingConn) IsValid() bool {
	return c.Conn.(driver.Validator).IsValid()
}

// openTraced opens a store on the (already migrated) file at path whose
// writer and readers record every statement in the returned trace. The
// pools are set up as Open sets them up.
func openTraced(t *testing.T, path string) (*Store, *sqlTrace) {
	t.Helper()
	// sql.Open connects to nothing; it only finds the registered driver.
	probe, err := sql.Open("sqlite", "")
	if err != nil {
		t.Fatal(err)
	}
	drv := probe.Driver()
	probe.Close()

	trace := &sqlTrace{}
	w := sql.OpenDB(tracingConnector{drv: drv, dsn: dsn(path, false), trace: trace})
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxIdleTime(0)
	w.SetConnMaxLifetime(0)
	r := sql.OpenDB(tracingConnector{drv: drv, dsn: dsn(path, true), trace: trace})
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(4)
	s := &Store{w: newPool(w), r: newPool(r)}
	if err := s.Ping(t.Context()); err != nil {
		s.Close()
		t.Fatalf("open traced store: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close traced store: %v", err)
		}
	})
	trace.take() // the pings
	return s, trace
}

// holdIndexes returns the names of the conversations indexes on
// snoozed_until, as the migrations define them.
func holdIndexes(t *testing.T, s *Store) []string {
	t.Helper()
	rows, err := s.r.QueryContext(t.Context(), `SELECT name FROM sqlite_schema
		WHERE type = 'index' AND tbl_name = 'conversations' AND sql LIKE '%snoozed_until%'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatal("no index of conversations covers snoozed_until")
	}
	return names
}

// TestHolds_EmptyTickIsOneIndexedQuery: the hold job runs every minute on
// every instance, and almost always finds nothing due. Such a tick must
// cost one store call, and that call one SQLite statement that reads the
// hold index (no scan of the conversations, no sort).
func TestHolds_EmptyTickIsOneIndexedQuery(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hub.db")
	plain := open(t, path)
	defer plain.Close()
	seed := seedHolds(t, plain, 50)
	// Released long ago: open, with no hold left.
	rel := inbox.NewService(plain, inbox.NewManualClock(holdsBase), inbox.Limits{})
	if n, err := rel.ReleaseDueHolds(t.Context()); err != nil || n != len(seed.Due) {
		t.Fatalf("releasing the seeded holds: %d, %v; want %d", n, err, len(seed.Due))
	}

	traced, trace := openTraced(t, path)
	rt := countRoundTrips(traced)
	// Between the released holds and the next one, a day ahead.
	svc := inbox.NewService(rt, inbox.NewManualClock(holdsBase.Add(time.Hour)), inbox.Limits{})
	n, err := svc.ReleaseDueHolds(t.Context())
	if err != nil {
		t.Fatalf("ReleaseDueHolds: %v", err)
	}
	if n != 0 {
		t.Fatalf("ReleaseDueHolds released %d, want none due", n)
	}

	calls, total := rt.take()
	if total != 1 || calls["ReleaseDueHolds"] != 1 {
		t.Errorf("an empty tick made %d store calls %v, want exactly one: ReleaseDueHolds", total, calls)
	}
	stmts := trace.take()
	if len(stmts) != 1 {
		var qs []string
		for _, st := range stmts {
			qs = append(qs, st.query)
		}
		t.Fatalf("an empty tick ran %d SQL statements, want 1:\n%s", len(stmts), strings.Join(qs, "\n---\n"))
	}
	st := stmts[0]
	steps := checkPlan(t, plain, "release", st.query, st.args...)
	plan := strings.Join(steps, "\n")
	indexes := holdIndexes(t, plain)
	if !slices.ContainsFunc(indexes, func(ix string) bool { return strings.Contains(plan, "USING INDEX "+ix+" ") }) {
		t.Errorf("the release statement does not read a hold index %v:\n%s\nplan:\n%s", indexes, st.query, plan)
	}
	t.Logf("statement:\n%s\nargs %v\nplan:\n%s", st.query, st.args, plan)
}

// fmtCalls prints call counts, and the time they took, by method in name
// order.
func fmtCalls(calls map[string]int, spent map[string]time.Duration) string {
	var b strings.Builder
	for _, m := range slices.Sorted(maps.Keys(calls)) {
		fmt.Fprintf(&b, " %s=%d (%v)", m, calls[m], spent[m].Round(time.Millisecond))
	}
	return strings.TrimSpace(b.String())
}
