package hub

import (
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"

	"github.com/gofiber/fiber/v2"
)

// Metrics are the hub's counters, served at GET /metrics in the Prometheus
// text format. They count events only: no ids, names or message text.
type Metrics struct {
	MessagesIn       atomic.Int64
	DuplicatesIn     atomic.Int64
	BotReplies       atomic.Int64
	Handoffs         atomic.Int64
	OutboxDelivered  atomic.Int64
	OutboxSent       atomic.Int64
	OutboxFailed     atomic.Int64
	OutboxRetries    atomic.Int64
	HoldsReleased    atomic.Int64
	ScheduledFailure atomic.Int64
}

type metric struct {
	name, help, kind string
	value            func() int64
}

func (m *Metrics) list() []metric {
	return []metric{
		{"hub_messages_in_total", "Customer messages stored.", "counter", m.MessagesIn.Load},
		{"hub_messages_in_duplicate_total", "Provider retries recognised and dropped.", "counter", m.DuplicatesIn.Load},
		{"hub_bot_replies_total", "Messages the bot sent.", "counter", m.BotReplies.Load},
		{"hub_bot_handoffs_total", "Conversations the bot handed to people.", "counter", m.Handoffs.Load},
		{"hub_outbox_delivered_total", "Outbound messages confirmed delivered.", "counter", m.OutboxDelivered.Load},
		{"hub_outbox_sent_total", "Outbound messages handed to the provider.", "counter", m.OutboxSent.Load},
		{"hub_outbox_failed_total", "Outbound messages given up on.", "counter", m.OutboxFailed.Load},
		{"hub_outbox_retries_total", "Outbound send attempts that will be retried.", "counter", m.OutboxRetries.Load},
		{"hub_holds_released_total", "Held conversations brought back to open.", "counter", m.HoldsReleased.Load},
		{"hub_scheduled_job_failures_total", "Scheduled job runs that failed.", "counter", m.ScheduledFailure.Load},
		{"hub_goroutines", "Goroutines running.", "gauge", func() int64 { return int64(runtime.NumGoroutine()) }},
	}
}

func (m *Metrics) handler(c *fiber.Ctx) error {
	var b strings.Builder
	for _, x := range m.list() {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s %s\n%s %d\n", x.name, x.help, x.name, x.kind, x.name, x.value())
	}
	c.Set(fiber.HeaderContentType, "text/plain; version=0.0.4; charset=utf-8")
	return c.SendString(b.String())
}
