package bot

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"hub/inbox"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("time zone %s: %v", name, err)
	}
	return loc
}

func TestIsOpen(t *testing.T) {
	paris := mustZone(t, "Europe/Paris")
	newYork := mustZone(t, "America/New_York")
	weekdays := []inbox.OpeningHours{{Day: 1, Open: "09:00", Close: "17:00"}, {Day: 2, Open: "09:00", Close: "17:00"}}
	night := []inbox.OpeningHours{{Day: 5, Open: "22:00", Close: "06:00"}, {Day: 6, Open: "22:00", Close: "02:00"}}
	// 2025-03-30 is a Sunday: Paris moves from UTC+1 to UTC+2 at 02:00.
	tests := []struct {
		name  string
		zone  string
		hours []inbox.OpeningHours
		now   time.Time
		want  bool
	}{
		{"no hours: always open", "Europe/Paris", nil, time.Date(2025, 3, 30, 3, 0, 0, 0, paris), true},
		{"zero now: open", "Europe/Paris", weekdays, time.Time{}, true},
		{"Monday 08:59 before opening", "Europe/Paris", weekdays, time.Date(2025, 3, 24, 8, 59, 0, 0, paris), false},
		{"Monday 09:00 opens", "Europe/Paris", weekdays, time.Date(2025, 3, 24, 9, 0, 0, 0, paris), true},
		{"Monday 16:59", "Europe/Paris", weekdays, time.Date(2025, 3, 24, 16, 59, 59, 0, paris), true},
		{"Monday 17:00 closed", "Europe/Paris", weekdays, time.Date(2025, 3, 24, 17, 0, 0, 0, paris), false},
		{"Wednesday closed", "Europe/Paris", weekdays, time.Date(2025, 3, 26, 10, 0, 0, 0, paris), false},
		{"winter: 08:30 UTC is 09:30 Paris", "Europe/Paris", weekdays, time.Date(2025, 3, 24, 8, 30, 0, 0, time.UTC), true},
		{"winter: 07:30 UTC is 08:30 Paris", "Europe/Paris", weekdays, time.Date(2025, 3, 24, 7, 30, 0, 0, time.UTC), false},
		{"summer: 07:30 UTC is 09:30 Paris", "Europe/Paris", weekdays, time.Date(2025, 3, 31, 7, 30, 0, 0, time.UTC), true},
		{"summer: Monday 09:00 Paris after the change", "Europe/Paris", weekdays, time.Date(2025, 3, 31, 9, 0, 0, 0, paris), true},
		{"summer: 15:30 UTC is 17:30 Paris", "Europe/Paris", weekdays, time.Date(2025, 3, 31, 15, 30, 0, 0, time.UTC), false},
		{"New York: Monday 02:00 UTC is Sunday evening", "America/New_York", weekdays, time.Date(2025, 3, 24, 2, 0, 0, 0, time.UTC), false},
		{"New York: Monday 09:00 local", "America/New_York", weekdays, time.Date(2025, 3, 24, 9, 0, 0, 0, newYork), true},
		{"unknown zone is UTC: open", "Mars/Olympus", weekdays, time.Date(2025, 3, 24, 9, 0, 0, 0, time.UTC), true},
		{"unknown zone is UTC: closed", "Mars/Olympus", weekdays, time.Date(2025, 3, 24, 8, 0, 0, 0, time.UTC), false},
		{"empty zone is UTC", "", weekdays, time.Date(2025, 3, 24, 16, 0, 0, 0, time.UTC), true},
		{"overnight: Friday 21:59", "Europe/Paris", night, time.Date(2025, 3, 28, 21, 59, 0, 0, paris), false},
		{"overnight: Friday 22:00", "Europe/Paris", night, time.Date(2025, 3, 28, 22, 0, 0, 0, paris), true},
		{"overnight: Saturday 05:59", "Europe/Paris", night, time.Date(2025, 3, 29, 5, 59, 0, 0, paris), true},
		{"overnight: Saturday 06:00", "Europe/Paris", night, time.Date(2025, 3, 29, 6, 0, 0, 0, paris), false},
		{"overnight: Thursday 23:00", "Europe/Paris", night, time.Date(2025, 3, 27, 23, 0, 0, 0, paris), false},
		{"overnight Saturday into Sunday, across the change", "Europe/Paris", night, time.Date(2025, 3, 30, 1, 30, 0, 0, paris), true},
		{"overnight: Sunday 03:00 after the gap", "Europe/Paris", night, time.Date(2025, 3, 30, 3, 0, 0, 0, paris), false},
		{"close 24:00", "UTC", []inbox.OpeningHours{{Day: 1, Open: "20:00", Close: "24:00"}}, time.Date(2025, 3, 24, 23, 59, 0, 0, time.UTC), true},
		{"close 24:00 ends the day", "UTC", []inbox.OpeningHours{{Day: 1, Open: "20:00", Close: "24:00"}}, time.Date(2025, 3, 25, 0, 0, 0, 0, time.UTC), false},
		{"open equals close: 24 hours", "UTC", []inbox.OpeningHours{{Day: 1, Open: "08:00", Close: "08:00"}}, time.Date(2025, 3, 25, 7, 59, 0, 0, time.UTC), true},
		{"open equals close: ends", "UTC", []inbox.OpeningHours{{Day: 1, Open: "08:00", Close: "08:00"}}, time.Date(2025, 3, 25, 8, 0, 0, 0, time.UTC), false},
		{"invalid spans ignored", "UTC", []inbox.OpeningHours{{Day: 9, Open: "00:00", Close: "24:00"}, {Day: 1, Open: "09:00", Close: "10:00"}}, time.Date(2025, 3, 24, 11, 0, 0, 0, time.UTC), false},
		{"only invalid spans: open", "UTC", []inbox.OpeningHours{{Day: 1, Open: "9h", Close: "17h"}}, time.Date(2025, 3, 23, 3, 0, 0, 0, time.UTC), true},
	}
	for _, tt := range tests {
		s := inbox.WorkspaceSettings{TimeZone: tt.zone, BusinessHours: tt.hours}
		if got := IsOpen(s, tt.now); got != tt.want {
			t.Errorf("%s: IsOpen = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestValidateOpeningHours(t *testing.T) {
	good := []inbox.OpeningHours{{Day: 0, Open: "00:00", Close: "24:00"}, {Day: 6, Open: "22:00", Close: "06:00"}, {Day: 3, Open: "08:00", Close: "08:00"}}
	if err := ValidateOpeningHours(good); err != nil {
		t.Fatal(err)
	}
	if err := ValidateOpeningHours(nil); err != nil {
		t.Fatal(err)
	}
	bad := []struct {
		span  inbox.OpeningHours
		field string
	}{
		{inbox.OpeningHours{Day: 7, Open: "09:00", Close: "17:00"}, "businessHours[1]"},
		{inbox.OpeningHours{Day: -1, Open: "09:00", Close: "17:00"}, "businessHours[1]"},
		{inbox.OpeningHours{Day: 1, Open: "9:00", Close: "17:00"}, "businessHours[1]"},
		{inbox.OpeningHours{Day: 1, Open: "24:00", Close: "17:00"}, "businessHours[1]"},
		{inbox.OpeningHours{Day: 1, Open: "09:60", Close: "17:00"}, "businessHours[1]"},
		{inbox.OpeningHours{Day: 1, Open: "09:00", Close: "25:00"}, "businessHours[1]"},
		{inbox.OpeningHours{Day: 1, Open: "09:00", Close: "24:01"}, "businessHours[1]"},
		{inbox.OpeningHours{Day: 1, Open: "09:00", Close: ""}, "businessHours[1]"},
		{inbox.OpeningHours{Day: 1, Open: "0a:00", Close: "17:00"}, "businessHours[1]"},
	}
	for _, tt := range bad {
		err := ValidateOpeningHours([]inbox.OpeningHours{good[0], tt.span})
		var inv *inbox.InvalidError
		if !errors.As(err, &inv) || inv.Field != tt.field || inv.Code != CodeInvalidBusinessHours {
			t.Errorf("%+v: error %v, want field %s", tt.span, err, tt.field)
		}
	}
}

func TestDecide_OutOfHoursNotice(t *testing.T) {
	hours := []inbox.OpeningHours{{Day: 1, Open: "09:00", Close: "18:00"}}
	closed := time.Date(2025, 3, 24, 20, 0, 0, 0, time.UTC) // Monday 20:00
	open := time.Date(2025, 3, 24, 10, 0, 0, 0, time.UTC)
	base := inbox.WorkspaceSettings{TimeZone: "UTC", BusinessHours: hours}
	custom := base
	custom.OutOfHoursNotice = "Back at 9, {{contact.name}}."
	away := reply(DefaultOutOfHoursNotice)
	tests := []struct {
		name     string
		text     string
		misses   int
		now      time.Time
		settings inbox.WorkspaceSettings
		want     []Action
	}{
		{"requested, closed", "agent please", 0, closed, base,
			[]Action{away, {Type: ActionHandoff, Reason: ReasonRequested, OutOfHours: true}}},
		{"requested, open", "agent please", 0, open, base,
			[]Action{reply(DefaultHandoffNotice), {Type: ActionHandoff, Reason: ReasonRequested}}},
		{"requested, custom notice with name", "agent please", 0, closed, custom,
			[]Action{reply("Back at 9, Ana."), {Type: ActionHandoff, Reason: ReasonRequested, OutOfHours: true}}},
		{"unmatched, closed", "blah", 1, closed, base,
			[]Action{away, {Type: ActionHandoff, Reason: ReasonUnmatched, OutOfHours: true}}},
		{"rule handoff, closed: answer then notice", "group booking", 0, closed, base,
			[]Action{{Type: ActionMatched, RuleID: "groups"}, reply("Our events team will contact you."), away,
				{Type: ActionHandoff, TeamID: "team-events", Reason: ReasonRule, RuleID: "groups", OutOfHours: true}}},
		{"rule handoff, open: no notice", "group booking", 0, open, base,
			[]Action{{Type: ActionMatched, RuleID: "groups"}, reply("Our events team will contact you."),
				{Type: ActionHandoff, TeamID: "team-events", Reason: ReasonRule, RuleID: "groups"}}},
		{"route-only rule, closed: the notice alone", "perdu", 0, closed, base,
			[]Action{{Type: ActionMatched, RuleID: "lost"}, away,
				{Type: ActionHandoff, TeamID: "team-desk", Reason: ReasonRule, RuleID: "lost", OutOfHours: true}}},
		{"answers are not affected", "wifi", 0, closed, base,
			[]Action{{Type: ActionMatched, RuleID: "wifi"}, reply(wifi.Answer)}},
		{"a miss is not affected", "blah", 0, closed, base,
			[]Action{{Type: ActionMiss}, reply(DefaultFallback)}},
		{"no business hours: always in hours", "agent", 0, closed, inbox.WorkspaceSettings{},
			[]Action{reply(DefaultHandoffNotice), {Type: ActionHandoff, Reason: ReasonRequested}}},
	}
	rs := Compile([]inbox.BotRule{wifi, groups, routeOnly})
	for _, tt := range tests {
		in := Input{
			Conversation: inbox.Conversation{Status: inbox.StatusBot, BotMisses: tt.misses},
			Message:      inbox.Message{Text: tt.text},
			RuleSet:      rs,
			Settings:     tt.settings,
			ContactName:  "Ana",
			Now:          tt.now,
		}
		if got := Decide(in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
	}
}
