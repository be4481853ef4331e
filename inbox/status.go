package inbox

// Status is where a conversation is in its lifecycle (DESIGN.md §3).
type Status string

// The statuses, exactly these.
const (
	StatusBot     Status = "bot"
	StatusOpen    Status = "open"
	StatusPending Status = "pending"
	StatusClosed  Status = "closed"
	StatusSpam    Status = "spam"
)

// Valid reports whether s is one of the statuses.
func (s Status) Valid() bool {
	switch s {
	case StatusBot, StatusOpen, StatusPending, StatusClosed, StatusSpam:
		return true
	}
	return false
}

// ParseStatusFilter turns an inbox tab name into the statuses it shows.
// "all" (or "") shows every status, including conversations the bot handled
// alone.
func ParseStatusFilter(s string) ([]Status, error) {
	if s == "" || s == "all" {
		return nil, nil
	}
	st := Status(s)
	if !st.Valid() {
		return nil, InvalidCode("unknown_status", "status", "unknown status %q (want open, pending, closed, spam, bot or all)", s)
	}
	return []Status{st}, nil
}
