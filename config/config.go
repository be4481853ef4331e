// Package config holds the typed configuration of the hub server and the code
// that fills it in.
//
// A Config is built in layers; each later layer overrides the earlier ones,
// key by key:
//
//  1. built-in defaults ([Default]);
//  2. a YAML file, when one is named by the -config flag or, failing that, by
//     the HUB_CONFIG environment variable (no file named: this layer is
//     skipped; a named file that does not exist is an error);
//  3. HUB_* environment variables (an empty value counts as unset);
//  4. command-line flags such as -addr or -data-dir.
//
// [Table] lists every setting once, with its YAML key, environment variable,
// flag, default and meaning; [Load] uses it for all three sources, so the
// three can never disagree. [Load] returns warnings for keys it does not know
// (a YAML key, a HUB_* variable) and errors for values it cannot parse;
// [Config.Validate] then checks that the values make sense together. The
// package never exits the process and never logs: the caller decides.
package config

import (
	"fmt"
	"log/slog"
	"net"
	"reflect"
	"strings"
	"time"
)

// Config is the complete configuration of a hub server process.
//
// Durations are time.Duration values; in YAML files and environment
// variables they are written as Go duration strings such as "10s" or "12h".
type Config struct {
	// Addr is the TCP address the HTTP server listens on, as host:port
	// (":8080" listens on every interface).
	Addr string `yaml:"addr"`

	// DataDir is the directory for local state: the embedded SQLite
	// database, uploaded files and the generated secret key.
	DataDir string `yaml:"dataDir"`

	// MongoURI, when set, selects the MongoDB store
	// ("mongodb://user:pass@host:27017"); empty selects the embedded SQLite
	// store in DataDir.
	MongoURI string `yaml:"mongoUri"`

	// MongoDatabase is the MongoDB database name used when MongoURI is set.
	MongoDatabase string `yaml:"mongoDatabase"`

	// PublicURL is the absolute http(s) URL under which providers and
	// browsers reach this server; it is used to register webhooks and to
	// check webhook signatures. Empty means "http://localhost" plus the
	// port of Addr (see [Config.PublicBaseURL]).
	PublicURL string `yaml:"publicUrl"`

	// AdminEmail is the e-mail of the admin created with the demo workspace
	// on an empty store.
	AdminEmail string `yaml:"adminEmail"`

	// AdminPassword is the password of that admin; empty means one is
	// generated and printed once.
	AdminPassword string `yaml:"adminPassword"`

	// SecretKey signs visitor tokens and other server-issued tokens. Empty
	// means the caller generates one once and keeps it in DataDir.
	SecretKey string `yaml:"secretKey"`

	// SessionTTL is how long an agent's login session stays valid.
	SessionTTL time.Duration `yaml:"sessionTtl"`

	// HoldReleaseInterval is how often held (snoozed) conversations are
	// checked and released when their time has come.
	HoldReleaseInterval time.Duration `yaml:"holdReleaseInterval"`

	// BotHandoffAfter is the number of customer messages in a row that no
	// bot rule matched after which the bot hands the conversation to a
	// person.
	BotHandoffAfter int `yaml:"botHandoffAfter"`

	// LogLevel is the lowest level that is logged: debug, info, warn or
	// error.
	LogLevel string `yaml:"logLevel"`

	// LogFormat is the log line format: text or json.
	LogFormat string `yaml:"logFormat"`

	// MaxBodyBytes is the largest HTTP request body accepted, in bytes.
	MaxBodyBytes int `yaml:"maxBodyBytes"`

	// MaxMessageChars is the longest message text accepted, in characters.
	MaxMessageChars int `yaml:"maxMessageChars"`

	// ShutdownTimeout is how long a graceful shutdown may take before open
	// connections are dropped.
	ShutdownTimeout time.Duration `yaml:"shutdownTimeout"`

	// Demo creates the demo workspace (a web chat channel, a few bot rules
	// and an admin) when the store is empty.
	Demo bool `yaml:"demo"`
}

// Default returns the built-in configuration, the first layer of [Load].
func Default() Config {
	return Config{
		Addr:                ":8080",
		DataDir:             "./data",
		MongoDatabase:       "hub",
		SessionTTL:          12 * time.Hour,
		HoldReleaseInterval: 10 * time.Second,
		BotHandoffAfter:     2,
		LogLevel:            "info",
		LogFormat:           "text",
		MaxBodyBytes:        1 << 20,
		MaxMessageChars:     10000,
		ShutdownTimeout:     15 * time.Second,
		Demo:                true,
	}
}

// PublicBaseURL returns PublicURL without a trailing slash or, when it is
// empty, "http://localhost" followed by the port of Addr.
func (c Config) PublicBaseURL() string {
	if c.PublicURL != "" {
		return strings.TrimRight(c.PublicURL, "/")
	}
	_, port, err := net.SplitHostPort(c.Addr)
	if err != nil || port == "" {
		return "http://localhost"
	}
	return "http://localhost:" + port
}

// SlogLevel returns LogLevel as a slog.Level (info when it is not one of
// debug, info, warn, error).
func (c Config) SlogLevel() slog.Level {
	switch c.LogLevel {
	case "debug":
		return slog.LevelDebug
	case "warn":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	return slog.LevelInfo
}

// redactedMark replaces secrets in [Config.Redacted].
const redactedMark = "xxxxx"

// Redacted returns a copy of c that is safe to log: AdminPassword and
// SecretKey are replaced by "xxxxx" when set, and so is the password inside
// MongoURI.
func (c Config) Redacted() Config {
	if c.AdminPassword != "" {
		c.AdminPassword = redactedMark
	}
	if c.SecretKey != "" {
		c.SecretKey = redactedMark
	}
	c.MongoURI = redactURI(c.MongoURI)
	return c
}

// redactURI replaces the password of a URI such as
// "mongodb://user:pass@h1,h2/db?x=y" by redactedMark. It works on the raw
// text because MongoDB URIs with several hosts are not valid net/url URLs.
// Text that looks like credentials but not like a URI is hidden completely.
func redactURI(uri string) string {
	scheme, rest, ok := strings.Cut(uri, "://")
	if !ok {
		if strings.Contains(uri, "@") {
			return redactedMark
		}
		return uri
	}
	authority, _, _ := strings.Cut(rest, "?")
	at := strings.LastIndex(authority, "@")
	if at < 0 {
		return uri
	}
	user, _, hasPass := strings.Cut(authority[:at], ":")
	if !hasPass {
		return uri
	}
	return scheme + "://" + user + ":" + redactedMark + rest[at:]
}

// String renders the redacted configuration as space-separated yamlKey=value
// pairs in [Table] order, for a startup log line.
func (c Config) String() string {
	var b strings.Builder
	for i, a := range c.attrs() {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s=%q", a.Key, a.Value.String())
	}
	return b.String()
}

// LogValue makes slog log the redacted configuration as a group.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(c.attrs()...)
}

// attrs returns the redacted settings as slog attributes keyed by YAML key.
func (c Config) attrs() []slog.Attr {
	r := reflect.ValueOf(c.Redacted())
	keys := Table()
	out := make([]slog.Attr, 0, len(keys))
	for _, k := range keys {
		out = append(out, slog.String(k.YAML, formatValue(r.FieldByName(k.Field))))
	}
	return out
}
