package partner

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"hub/adapters"
)

// ChannelType is the channel type this adapter serves.
const ChannelType = "partner"

// Defaults for the zero values of Config.
const (
	DefaultHTTPTimeout        = 15 * time.Second
	DefaultMaxTextChars       = 10000
	DefaultMaxAttachments     = 10
	DefaultMaxAttachmentBytes = 20 << 20
	DefaultMaxBodyBytes       = 1 << 20
)

// Config tunes the adapter. Zero values get defaults.
type Config struct {
	// PublicURL is the hub's public base URL (HUB_PUBLIC_URL), used to build
	// the inbound webhook address shown to the hotel.
	PublicURL string
	// Logger receives operational logs; default slog.Default().
	Logger *slog.Logger
	// HTTPClient sends replies to partners. Nil means a client with a 15 s
	// timeout that does not follow redirects.
	HTTPClient *http.Client
	// MaxTextChars is the longest inbound text in characters; default 10000.
	MaxTextChars int
	// MaxAttachments is the most attachments on one inbound message;
	// default 10.
	MaxAttachments int
	// MaxAttachmentBytes is the largest declared attachment size; default
	// 20 MiB. The hub does not download partner attachments, so only the
	// declared size can be checked.
	MaxAttachmentBytes int64
	// MaxBodyBytes is the largest inbound request body; default 1 MiB. The
	// hub's own body limit applies first when it is lower.
	MaxBodyBytes int
	// Now is the clock for the replay window, signatures and defaults;
	// default time.Now.
	Now func() time.Time
}

// Adapter is the partner channel. It is safe for concurrent use.
type Adapter struct {
	cfg    Config
	sink   adapters.Sink
	dir    adapters.Directory
	client *http.Client
	log    *slog.Logger
}

var (
	_ adapters.Adapter         = (*Adapter)(nil)
	_ adapters.WebhookReceiver = (*Adapter)(nil)
	_ adapters.Configurable    = (*Adapter)(nil)
)

// New builds the adapter. sink receives guest messages; dir resolves the
// channel named in a webhook's path.
func New(cfg Config, sink adapters.Sink, dir adapters.Directory) *Adapter {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxTextChars <= 0 {
		cfg.MaxTextChars = DefaultMaxTextChars
	}
	if cfg.MaxAttachments <= 0 {
		cfg.MaxAttachments = DefaultMaxAttachments
	}
	if cfg.MaxAttachmentBytes <= 0 {
		cfg.MaxAttachmentBytes = DefaultMaxAttachmentBytes
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	client := cfg.HTTPClient
	if client == nil {
		client = &http.Client{
			Timeout: DefaultHTTPTimeout,
			// A redirected POST may silently turn into a GET without a
			// body; a moved partner endpoint is for the hotel to fix.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	return &Adapter{
		cfg:    cfg,
		sink:   sink,
		dir:    dir,
		client: client,
		log:    cfg.Logger.With("adapter", ChannelType),
	}
}

// Type returns "partner".
func (a *Adapter) Type() string { return ChannelType }

// Capabilities of a partner channel: the hub's own text limit, media
// (attachment URLs) and quick-reply buttons.
func (a *Adapter) Capabilities() adapters.Capabilities {
	return adapters.Capabilities{MaxTextLen: 0, Media: true, Buttons: true}
}

// Routes registers POST /hooks/partner/:channelId on r.
func (a *Adapter) Routes(r fiber.Router) {
	r.Post("/hooks/partner/:channelId", a.handleInbound)
}

// channel resolves the partner channel of a webhook with
// adapters.LookupChannel (404 channel_not_found, 403 channel_disabled). A
// failing lookup is logged and answered 500, so the partner retries.
func (a *Adapter) channel(ctx context.Context, id string) (adapters.Channel, error) {
	ch, err := adapters.LookupChannel(ctx, a.dir, id, ChannelType)
	var refused *adapters.HTTPError
	if err != nil && !errors.As(err, &refused) {
		a.log.Error("partner: channel lookup failed", "channel", id, "err", err)
		return adapters.Channel{}, errInternal()
	}
	return ch, err
}

// errInternal is a failure on our side: the partner should retry.
func errInternal() error {
	return adapters.Errorf(http.StatusInternalServerError, "internal", "the message could not be processed now; retry later")
}

// now is the injected clock, in UTC.
func (a *Adapter) now() time.Time { return a.cfg.Now().UTC() }

// channelSecrets returns the secrets inbound signatures may use: secret,
// then previousSecret when set.
func channelSecrets(ch adapters.Channel) [][]byte {
	var out [][]byte
	for _, k := range []string{keySecret, keyPreviousSecret} {
		if v := ch.Config[k]; v != "" {
			out = append(out, []byte(v))
		}
	}
	return out
}

// publicBase is PublicURL without a trailing slash.
func (a *Adapter) publicBase() string {
	return strings.TrimRight(a.cfg.PublicURL, "/")
}
