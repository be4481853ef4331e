// Package telegram is the Telegram channel: one Telegram bot per channel,
// talked to through the Bot API with go-telegram-bot-api v5.
//
// # Receiving: webhook or long polling
//
// The mode follows the hub's public URL, for every channel alike. When it
// is https, Telegram can reach the hub: Run registers
// PublicURL/hooks/telegram/{channelId} with setWebhook, passing the
// channel's webhookSecret as secret_token and allowed_updates
// ["message","callback_query"]. What was registered is remembered per
// channel (token, API base, URL, secret), so a sweep does not register
// again; a failed registration is retried at the next sweep and its error
// is kept for Health. Otherwise (http or no public URL, typically a hub
// behind a NAT) one goroutine per enabled channel long-polls getUpdates,
// after a deleteWebhook because getUpdates is refused while a webhook is
// set. Run reads the channel list at start, every SweepInterval and at
// once when ChannelChanged is called, and starts, stops or restarts
// pollers and registrations to match. A disabled or removed channel's
// webhook is deliberately left in place: Telegram keeps the updates it
// cannot deliver (the hook answers 403) and hands them over once the
// channel is enabled again.
//
// The webhook checks X-Telegram-Bot-Api-Secret-Token in constant time and
// answers 200 only after the hub stored the message; it also answers 200 to
// updates it ignores (edited messages, service messages in groups) so that
// Telegram does not retry them. A hub failure answers 500 (or the hub's own
// HTTP error) and Telegram retries. The poller advances its offset only past
// updates the hub stored; after a failure it backs off (1 s doubling to
// 30 s) and asks for the same offset again, so nothing is lost; an update
// the hub refuses for good (an *adapters.HTTPError below 500) is skipped
// there, while the webhook hands that error to Telegram as it is.
// Deduplication is the hub's, on (channel, update_id).
//
// # Configuration
//
// botToken (required, secret), webhookSecret (secret; the hub generates
// it when left empty, and ValidateConfig, which checks a complete
// configuration, requires 1 to 256 of A-Za-z0-9_-) and apiBaseUrl
// (optional, an absolute http(s) URL: a local Bot API server or a test
// fake). A webhook for a channel whose secret is empty never matches.
//
// # Health
//
// Webhook mode asks getWebhookInfo: OK when the webhook is this hub's URL
// and Telegram's last delivery error, if any, is older than the last update
// the hook accepted. Polling mode reports the poller: OK when its last
// getUpdates succeeded.
//
// # Updates to messages
//
// The contact handle is the chat id (the user id in private chats). Text is
// message.text, or the caption. Photos become one proxied attachment (the
// largest size); documents, voice and audio messages, videos, video notes
// and GIFs too, with their MIME type. Kinds that carry no file get a short
// bracketed text so the agent knows something arrived: "[sticker 😀]",
// "[location: 48.858400, 2.294500]", "[contact: Ann +331...]", "[venue: ...]",
// "[poll: ...]", "[dice 🎲 4]"; a voice message without caption reads
// "[voice message]", and so on. Anything else is "[unsupported message]" in
// a private chat and ignored in groups, where it is mostly service messages
// (members joining, pinned messages). A button press (callback_query)
// becomes a message whose text is the button's callback data, and is
// answered with answerCallbackQuery once stored, so the client stops its
// spinner. Updates of other kinds are ignored.
//
// # Sending
//
// Telegram counts message length in UTF-16 code units (4096 at most, 1024
// for captions). Send splits longer texts, cutting preferably at a newline,
// then at a space (the separator is dropped), and waits Pacing.PerChat
// between the parts. Buttons become an inline keyboard, one button per row,
// on the last message sent; their callback data is the label cut to 64
// bytes on a UTF-8 boundary. Attachments with an absolute http(s) URL that
// are not proxied are sent by URL: images (but GIF and SVG) with sendPhoto,
// anything else with sendDocument. A single attachment takes the text as
// its caption when it fits in 1024 units; otherwise the text goes first.
// Proxied attachments (Telegram file ids, other providers' media) and
// relative URLs cannot be sent by URL and are left out.
//
// When a multi-part message fails half way (a 429 on the third part), the
// adapter remembers, for an hour and by the hub's message id, how many
// parts went out, and the hub's retry resumes after them instead of sending
// the first parts twice.
//
// Errors: 429 is an *adapters.RetryAfterError with Telegram's retry_after;
// 403 (the user blocked the bot, the bot was kicked), other 400s (chat not
// found, user deactivated) and a refused token (401, 404) are
// *adapters.PermanentError; network errors and 5xx are plain errors that
// the hub retries.
//
// # Secrets
//
// The bot token is part of every Bot API URL, so neither URLs nor transport
// errors are ever logged or returned as they are: every error passes
// through a scrubber that replaces the token (transport errors have the
// token cut out of their URL). Message text is never logged, not even at
// debug level. BotAPI's Debug mode (which logs parameters) stays off.
//
// # Library notes
//
// go-telegram-bot-api v5.5.1 builds its requests without a context. Each
// call therefore runs on a shallow copy of the channel's cached *BotAPI
// whose HTTP client attaches the caller's context, so cancelling Run stops
// a long poll at once. Updates, sent messages and getFile results are
// decoded into the package's own small structs (the fields read, nothing
// else) rather than the library's, which date from 2021: a field whose
// type Telegram changed since cannot make a batch of updates unreadable,
// nor a message that was sent look failed (and be sent twice). getUpdates
// and setWebhook go through MakeRequest for the same reason and because
// the library has no secret_token. One BotAPI is cached per channel and
// rebuilt when its token or API base changes (building one calls getMe).
package telegram

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"hub/adapters"
)

// ChannelType is the channel type this adapter serves.
const ChannelType = "telegram"

const (
	defaultPollTimeout   = 25 * time.Second
	defaultSweepInterval = 30 * time.Second
	defaultMaxMediaBytes = 20 << 20

	// perChannelGap keeps a bot under Telegram's ~30 messages/s.
	perChannelGap = 34 * time.Millisecond
	// perChatGap is Telegram's ~1 message/s to one chat.
	perChatGap = time.Second

	backoffMin = time.Second
	backoffMax = 30 * time.Second

	// callTimeout bounds every Bot API call but getUpdates and downloads.
	callTimeout = 30 * time.Second
)

// Config tunes the adapter. Zero values get defaults.
type Config struct {
	// PublicURL is the hub's public base URL. https: channels receive by
	// webhook at PublicURL/hooks/telegram/{id}; http or empty: by long
	// polling.
	PublicURL string
	// Logger receives operational logs; default slog.Default().
	Logger *slog.Logger
	// HTTPClient calls the Bot API; default a client without timeout (each
	// call sets its own deadline; a Timeout set here must exceed
	// PollTimeout).
	HTTPClient *http.Client
	// PollTimeout is the getUpdates long-poll timeout; default 25 s.
	PollTimeout time.Duration
	// SweepInterval is how often Run re-reads the channel list; default
	// 30 s.
	SweepInterval time.Duration
	// MaxMediaBytes is the largest file FetchMedia streams; default 20 MiB
	// (Telegram's own getFile limit).
	MaxMediaBytes int64
}

// Adapter is the Telegram channel. It is safe for concurrent use.
type Adapter struct {
	cfg         Config
	sink        adapters.Sink
	dir         adapters.Directory
	log         *slog.Logger
	publicURL   string
	webhookMode bool
	now         func() time.Time

	// partGap is the wait between the parts of one message (Pacing.PerChat).
	partGap time.Duration
	// backoffMin and backoffMax bound the poller's waits after a failure.
	backoffMin, backoffMax time.Duration

	kick chan struct{} // ChannelChanged asks Run for a sweep now
	// regMu serialises webhook registrations (sweeps and ChannelChanged).
	regMu sync.Mutex
	// sweepMu serialises sweeps and ChannelChanged's stops.
	sweepMu sync.Mutex

	mu         sync.Mutex
	running    bool
	bots       map[string]*botEntry    // by channel id
	pollers    map[string]*poller      // by channel id
	registered map[string]registration // webhooks set, by channel id
	regErr     map[string]failure      // last registration failure
	hookOK     map[string]time.Time    // last update accepted by the webhook
	progress   map[string]sendProgress // parts already sent, by message id
	badConfig  map[string]string       // channels skipped, and why (logged once)
	wg         sync.WaitGroup          // running pollers
}

// failure is an error kept for Health.
type failure struct {
	msg string
	at  time.Time
}

// New builds the adapter. sink receives the messages; dir lists the
// channels (Run needs it to poll or register webhooks, the webhook to
// check secrets).
func New(cfg Config, sink adapters.Sink, dir adapters.Directory) *Adapter {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	if cfg.PollTimeout <= 0 {
		cfg.PollTimeout = defaultPollTimeout
	}
	if cfg.SweepInterval <= 0 {
		cfg.SweepInterval = defaultSweepInterval
	}
	if cfg.MaxMediaBytes <= 0 {
		cfg.MaxMediaBytes = defaultMaxMediaBytes
	}
	cfg.PublicURL = strings.TrimRight(strings.TrimSpace(cfg.PublicURL), "/")
	webhookMode := false
	if u, err := url.Parse(cfg.PublicURL); err == nil && strings.EqualFold(u.Scheme, "https") && u.Host != "" {
		webhookMode = true
	}
	return &Adapter{
		cfg:         cfg,
		sink:        sink,
		dir:         dir,
		log:         cfg.Logger.With("adapter", ChannelType),
		publicURL:   cfg.PublicURL,
		webhookMode: webhookMode,
		now:         time.Now,
		partGap:     perChatGap,
		backoffMin:  backoffMin,
		backoffMax:  backoffMax,
		kick:        make(chan struct{}, 1),
		bots:        make(map[string]*botEntry),
		pollers:     make(map[string]*poller),
		registered:  make(map[string]registration),
		regErr:      make(map[string]failure),
		hookOK:      make(map[string]time.Time),
		progress:    make(map[string]sendProgress),
		badConfig:   make(map[string]string),
	}
}

// Type returns "telegram".
func (a *Adapter) Type() string { return ChannelType }

// Capabilities: no text limit (Send splits), media and buttons.
func (a *Adapter) Capabilities() adapters.Capabilities {
	return adapters.Capabilities{MaxTextLen: 0, Media: true, Buttons: true}
}

// Pacing is Telegram's advice: about 30 messages a second per bot, one a
// second per chat.
func (a *Adapter) Pacing(adapters.Channel) adapters.Pacing {
	return adapters.Pacing{PerChannel: perChannelGap, PerChat: perChatGap}
}

// mode is "webhook" or "polling".
func (a *Adapter) mode() string {
	if a.webhookMode {
		return "webhook"
	}
	return "polling"
}

// sleep waits d or until ctx is done; false when ctx is done.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
