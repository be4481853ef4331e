package bot

import (
	"fmt"
	"time"

	"hub/inbox"
)

// DefaultOutOfHoursNotice is sent instead of the handoff notice outside
// business hours when WorkspaceSettings.OutOfHoursNotice is empty.
const DefaultOutOfHoursNotice = "Our team is away right now; we will answer as soon as we are back."

// CodeInvalidBusinessHours is the InvalidError code of a bad opening span.
const CodeInvalidBusinessHours = "invalid_business_hours"

// minutesPerDay is the length of a day on the wall clock.
const minutesPerDay = 24 * 60

// IsOpen reports whether now falls within the workspace's business hours,
// read on the wall clock of settings.TimeZone (an unknown or empty zone
// means UTC), so spans keep their local meaning across daylight saving
// changes. A span runs from Open (included) to Close (excluded) on Day
// (0 Sunday .. 6 Saturday); when Close is at or before Open it ends on the
// next day ("22:00"–"06:00" is the night from Day to Day+1, "08:00"–"08:00"
// is 24 hours), and a Close of "24:00" is midnight at the end of Day.
//
// No business hours means always open. Spans that ValidateOpeningHours
// would refuse are ignored; when none is usable the workspace counts as
// always open too, so a broken schedule never keeps customers waiting
// behind an "away" notice. A zero now (no clock given) is open.
//
// Time zone data comes from the system's tz database through
// time.LoadLocation, the only thing this package reads; it is only
// consulted when business hours are set.
func IsOpen(settings inbox.WorkspaceSettings, now time.Time) bool {
	if len(settings.BusinessHours) == 0 || now.IsZero() {
		return true
	}
	loc, err := time.LoadLocation(settings.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	local := now.In(loc)
	day := int(local.Weekday())
	minute := local.Hour()*60 + local.Minute()
	usable := false
	for _, h := range settings.BusinessHours {
		open, close, ok := parseSpan(h)
		if !ok {
			continue
		}
		usable = true
		if close > open {
			if h.Day == day && open <= minute && minute < close {
				return true
			}
			continue
		}
		// Overnight: from open on Day to close on the next day.
		if h.Day == day && minute >= open {
			return true
		}
		if (h.Day+1)%7 == day && minute < close {
			return true
		}
	}
	return !usable
}

// ValidateOpeningHours checks business hours before they are saved: Day
// from 0 (Sunday) to 6, Open "HH:MM" from 00:00 to 23:59, Close the same or
// "24:00". The error is an *inbox.InvalidError naming "businessHours[i]".
func ValidateOpeningHours(hours []inbox.OpeningHours) error {
	for i, h := range hours {
		field := fmt.Sprintf("businessHours[%d]", i)
		if h.Day < 0 || h.Day > 6 {
			return inbox.InvalidCode(CodeInvalidBusinessHours, field, "day must be 0 (Sunday) to 6 (Saturday), not %d", h.Day)
		}
		if m, ok := parseClock(h.Open); !ok || m >= minutesPerDay {
			return inbox.InvalidCode(CodeInvalidBusinessHours, field, "open must be a time HH:MM from 00:00 to 23:59, not %q", h.Open)
		}
		if _, ok := parseClock(h.Close); !ok {
			return inbox.InvalidCode(CodeInvalidBusinessHours, field, "close must be a time HH:MM from 00:00 to 24:00, not %q", h.Close)
		}
	}
	return nil
}

// parseSpan returns a span's open and close minutes, or not ok.
func parseSpan(h inbox.OpeningHours) (open, close int, ok bool) {
	if h.Day < 0 || h.Day > 6 {
		return 0, 0, false
	}
	open, ok1 := parseClock(h.Open)
	close, ok2 := parseClock(h.Close)
	if !ok1 || !ok2 || open >= minutesPerDay {
		return 0, 0, false
	}
	return open, close, true
}

// parseClock reads "HH:MM" (two digits each) as minutes after midnight;
// "24:00" is minutesPerDay.
func parseClock(s string) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	for _, i := range []int{0, 1, 3, 4} {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	if m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, false
	}
	return h*60 + m, true
}
