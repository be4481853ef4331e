// Package sms is the Twilio SMS (and MMS) channel.
//
// # Webhooks
//
// Twilio posts two kinds of form webhooks, both registered by Routes:
//
//	POST /hooks/sms/{channelId}          an incoming message
//	POST /hooks/sms/{channelId}/status   a delivery report for a message the hub sent
//
// Both are checked the same way before anything reaches the hub: the
// channel must exist, be of type "sms" (else 404 channel_not_found) and be
// enabled (else 403 channel_disabled), with a configuration that still
// validates (else 503 channel_misconfigured); the raw body is parsed as a form
// (400 invalid_request when it is not one); X-Twilio-Signature must match
// the channel's Auth Token over Config.PublicURL + the request path and
// query and every posted field (403 signature_invalid); and the posted
// AccountSid must be the channel's (403 account_mismatch). Only then are
// the fields read. Accepted webhooks answer 200 with an empty TwiML
// <Response/>, so Twilio itself replies nothing: the hub's bot and agents
// answer through Send. A repeated webhook (Twilio retries) also answers 200:
// the hub drops the duplicate on the MessageSid. A sink failure answers 500
// so that Twilio retries.
//
// Twilio signs the URL it was told, so Config.PublicURL must be the address
// Twilio calls (HUB_PUBLIC_URL, behind any proxy). When it is empty the
// adapter falls back to the scheme and host of the request as seen by the
// server, which only works without a rewriting proxy; WebhookURLs then
// returns bare paths.
//
// Twilio signs every webhook with X-Twilio-Signature: the full public URL
// (with query) followed by each POST parameter, sorted by name, as name+value
// (a repeated name contributes its values sorted, duplicates dropped), run
// through HMAC-SHA1 keyed with the Auth Token and base64 encoded. Every
// posted field is covered: there is no whitelist, so fields Twilio adds later
// are checked too.
//
// # Inbound messages
//
// An incoming message becomes an adapters.Inbound with the MessageSid as
// ExternalID and the sender's number as ContactHandle. MMS media (NumMedia,
// MediaUrl<i>, MediaContentType<i>) become Proxied attachments: Twilio's
// media URLs need the account's credentials, so agents open them through
// the hub, which calls FetchMedia. Opt-out keywords are flagged on the
// Inbound (OptOut): Twilio's own OptOutType field when present (Advanced
// Opt-Out), otherwise the standard keywords STOP, STOPALL, UNSUBSCRIBE,
// CANCEL, END, QUIT (stop) and START, YES, UNSTOP (start).
//
// # Delivery reports
//
// Send puts the hub's message id into the StatusCallback URL (?message=),
// so a report is matched to the hub's message even before the send
// returned. MessageStatus sent, delivered and read move the message's
// delivery state; failed, undelivered and canceled mark it failed with a
// readable reason ("Twilio 30003: unreachable destination handset").
// Intermediate states (queued, sending, accepted, ...) are acknowledged and
// ignored. Reports may arrive out of order; the hub only moves states
// forward.
//
// # Sending
//
// Send goes through twilio-go's Api.CreateMessage, from the channel's
// messagingServiceSid when set (Twilio then picks the sender), otherwise
// from its number. Quick-reply buttons, which SMS cannot show, are appended
// to the text as a numbered list. Attachments are sent as MediaUrl when
// they are public absolute http(s) URLs; Proxied ones are left out. One
// twilio-go client is kept per (accountSid, authToken, apiBaseUrl). When a
// channel sets apiBaseUrl, every API call (sends and media downloads) goes
// there instead of https://api.twilio.com, for tests and regional edges;
// the TWILIO_EDGE and TWILIO_REGION environment variables are ignored.
// twilio-go v1.31 takes no context, so a send in flight is bounded by the
// HTTP client's timeout (15 s by default) rather than by ctx.
//
// Errors are classified for the hub's dispatcher: Twilio's 429 or code
// 20429 is an *adapters.RetryAfterError (its Retry-After header, else 1 s);
// 401, 403, the known per-recipient codes (21211, 21408, 21610, 21612,
// 21614, 21606, 20003) and any other 4xx but 408 are
// *adapters.PermanentError with a readable reason; 5xx, 408, timeouts,
// network errors and answers that cannot be decoded are plain errors, which
// the hub retries. Error texts never carry the Auth Token, and phone
// numbers quoted by Twilio are masked.
//
// Pacing is one message per second per channel by default (a long code's
// limit), or the channel's mps setting (3 for toll-free, up to 100 for
// short codes or messaging services).
//
// Message bodies, phone numbers and tokens are never logged above debug.
package sms

import (
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	openapi "github.com/twilio/twilio-go/rest/api/v2010"

	"hub/adapters"
)

// ChannelType is the channel type this adapter serves.
const ChannelType = "sms"

const (
	// MaxTextLen is the longest body Twilio accepts, in characters.
	MaxTextLen = 1600

	defaultTimeout       = 15 * time.Second
	defaultMaxMediaBytes = 20 << 20
)

// The adapter's optional interfaces.
var (
	_ adapters.Adapter         = (*Adapter)(nil)
	_ adapters.WebhookReceiver = (*Adapter)(nil)
	_ adapters.Configurable    = (*Adapter)(nil)
	_ adapters.Pacer           = (*Adapter)(nil)
	_ adapters.MediaFetcher    = (*Adapter)(nil)
)

// Sink is the hub as the SMS adapter sees it: it takes incoming messages
// and delivery reports.
type Sink interface {
	adapters.Sink
	adapters.StatusSink
}

// Config tunes the adapter. Zero values get defaults.
type Config struct {
	// PublicURL is the hub's address as Twilio calls it (HUB_PUBLIC_URL),
	// without trailing slash. Webhook signatures are checked against it and
	// the StatusCallback of every send is built from it.
	PublicURL string
	// Logger receives operational logs; default slog.Default().
	Logger *slog.Logger
	// HTTPClient makes the calls to Twilio. nil: a client with a 15 s
	// timeout. Its Transport and Timeout are reused; redirects are handled
	// by the adapter.
	HTTPClient *http.Client
	// MaxMediaBytes is the largest media FetchMedia streams; default 20 MiB.
	MaxMediaBytes int64
}

// Adapter is the Twilio SMS channel. It is safe for concurrent use.
type Adapter struct {
	cfg  Config
	sink Sink
	dir  adapters.Directory
	log  *slog.Logger
	now  func() time.Time

	transport  http.RoundTripper // the base transport of every call
	apiTimeout time.Duration     // whole-request timeout of API calls
	mediaHTTP  *http.Client      // media downloads: no overall timeout

	mu      sync.Mutex
	clients map[clientKey]*openapi.ApiService
}

// New builds the adapter. dir resolves the channel of each webhook.
func New(cfg Config, sink Sink, dir adapters.Directory) *Adapter {
	cfg.PublicURL = strings.TrimRight(strings.TrimSpace(cfg.PublicURL), "/")
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: defaultTimeout}
	}
	if cfg.MaxMediaBytes <= 0 {
		cfg.MaxMediaBytes = defaultMaxMediaBytes
	}
	transport := cfg.HTTPClient.Transport
	if transport == nil {
		transport = http.DefaultTransport
	}
	a := &Adapter{
		cfg:        cfg,
		sink:       sink,
		dir:        dir,
		log:        cfg.Logger.With("adapter", ChannelType),
		now:        time.Now,
		transport:  transport,
		apiTimeout: cfg.HTTPClient.Timeout,
		mediaHTTP:  &http.Client{Transport: transport, CheckRedirect: mediaRedirect},
		clients:    make(map[clientKey]*openapi.ApiService),
	}
	if cfg.PublicURL == "" {
		a.log.Warn("sms: no public URL configured; webhook signatures are checked against the request's own host")
	}
	return a
}

// Type returns "sms".
func (a *Adapter) Type() string { return ChannelType }

// Capabilities of SMS: 1600 characters, media (MMS), no buttons.
func (a *Adapter) Capabilities() adapters.Capabilities {
	return adapters.Capabilities{MaxTextLen: MaxTextLen, Media: true, Buttons: false}
}

// Pacing is one send per second per channel, or the channel's mps; Twilio
// has no per-recipient limit.
func (a *Adapter) Pacing(ch adapters.Channel) adapters.Pacing {
	mps, err := parseMPS(ch.Config[keyMPS])
	if err != nil {
		mps = defaultMPS
	}
	return adapters.Pacing{PerChannel: time.Duration(float64(time.Second) / mps)}
}
