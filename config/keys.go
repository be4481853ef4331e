package config

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Key describes one setting: the Config field it fills and its names in each
// configuration source. [Table] is the single list [Load] reads, so a
// setting added to Config needs exactly one new row there.
type Key struct {
	// Field is the name of the Config field, such as "SessionTTL".
	Field string
	// YAML is the key in the config file, such as "sessionTtl".
	YAML string
	// Env is the environment variable, such as "HUB_SESSION_TTL".
	Env string
	// Flag is the command-line flag without the dash, such as
	// "session-ttl"; empty when the setting has no flag (secrets stay off
	// the command line, where other users could read them).
	Flag string
	// Default is the built-in value as it would be written in the YAML file
	// or the environment; empty when the default is empty.
	Default string
	// Secret marks values hidden by [Config.Redacted].
	Secret bool
	// Doc is a one-line description for help texts and the README.
	Doc string
}

// keys is the source of truth behind Table; Default is filled in by Table.
var keys = []Key{
	{Field: "Addr", YAML: "addr", Env: "HUB_ADDR", Flag: "addr",
		Doc: "HTTP listen address, host:port"},
	{Field: "DataDir", YAML: "dataDir", Env: "HUB_DATA_DIR", Flag: "data-dir",
		Doc: "directory for the SQLite database, uploads and the generated secret key"},
	{Field: "MongoURI", YAML: "mongoUri", Env: "HUB_MONGO_URI", Flag: "mongo-uri", Secret: true,
		Doc: "MongoDB connection URI; set selects the MongoDB store, empty the embedded SQLite store"},
	{Field: "MongoDatabase", YAML: "mongoDatabase", Env: "HUB_MONGO_DATABASE", Flag: "mongo-database",
		Doc: "MongoDB database name"},
	{Field: "PublicURL", YAML: "publicUrl", Env: "HUB_PUBLIC_URL", Flag: "public-url",
		Doc: "absolute http(s) URL providers and browsers use to reach the hub (webhooks, signatures); empty: http://localhost:<port>"},
	{Field: "AdminEmail", YAML: "adminEmail", Env: "HUB_ADMIN_EMAIL", Flag: "admin-email",
		Doc: "e-mail of the admin created with the demo workspace"},
	{Field: "AdminPassword", YAML: "adminPassword", Env: "HUB_ADMIN_PASSWORD", Secret: true,
		Doc: "password of that admin; empty: generated and printed once"},
	{Field: "SecretKey", YAML: "secretKey", Env: "HUB_SECRET_KEY", Secret: true,
		Doc: "key that signs visitor tokens (at least 16 characters); empty: generated once into the data directory"},
	{Field: "SessionTTL", YAML: "sessionTtl", Env: "HUB_SESSION_TTL", Flag: "session-ttl",
		Doc: "lifetime of an agent login session"},
	{Field: "HoldReleaseInterval", YAML: "holdReleaseInterval", Env: "HUB_HOLD_RELEASE_INTERVAL", Flag: "hold-release-interval",
		Doc: "how often held (snoozed) conversations are checked for release"},
	{Field: "BotHandoffAfter", YAML: "botHandoffAfter", Env: "HUB_BOT_HANDOFF_AFTER", Flag: "bot-handoff-after",
		Doc: "unmatched customer messages in a row after which the bot hands off to a person"},
	{Field: "LogLevel", YAML: "logLevel", Env: "HUB_LOG_LEVEL", Flag: "log-level",
		Doc: "lowest level logged: debug, info, warn or error"},
	{Field: "LogFormat", YAML: "logFormat", Env: "HUB_LOG_FORMAT", Flag: "log-format",
		Doc: "log format: text or json"},
	{Field: "MaxBodyBytes", YAML: "maxBodyBytes", Env: "HUB_MAX_BODY_BYTES", Flag: "max-body-bytes",
		Doc: "largest HTTP request body accepted, in bytes (at least 1024)"},
	{Field: "MaxMessageChars", YAML: "maxMessageChars", Env: "HUB_MAX_MESSAGE_CHARS", Flag: "max-message-chars",
		Doc: "longest message text accepted, in characters"},
	{Field: "ShutdownTimeout", YAML: "shutdownTimeout", Env: "HUB_SHUTDOWN_TIMEOUT", Flag: "shutdown-timeout",
		Doc: "time allowed for a graceful shutdown"},
	{Field: "Demo", YAML: "demo", Env: "HUB_DEMO", Flag: "demo",
		Doc: "create the demo workspace (web chat channel, bot rules, admin) on an empty store"},
}

// Table returns every setting in a stable order, with Default filled in from
// [Default]. The slice is a fresh copy the caller may modify.
func Table() []Key {
	def := reflect.ValueOf(Default())
	out := make([]Key, len(keys))
	for i, k := range keys {
		k.Default = formatValue(def.FieldByName(k.Field))
		out[i] = k
	}
	return out
}

// TableMarkdown renders [Table] as a Markdown table (env | yaml | flag |
// default | meaning) for the README, including the HUB_CONFIG variable that
// names the file itself.
func TableMarkdown() string {
	var b strings.Builder
	b.WriteString("| env | yaml | flag | default | meaning |\n|---|---|---|---|---|\n")
	b.WriteString("| `HUB_CONFIG` | | `-config` | | path of the YAML config file; unset: no file |\n")
	cell := func(s string) string {
		if s == "" {
			return ""
		}
		return "`" + s + "`"
	}
	for _, k := range Table() {
		flag := k.Flag
		if flag != "" {
			flag = "-" + flag
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n",
			cell(k.Env), cell(k.YAML), cell(flag), cell(k.Default), strings.ReplaceAll(k.Doc, "|", `\|`))
	}
	return b.String()
}

// durationType is reflect.Type of time.Duration, which is an int64 kind and
// must be told apart from plain integers.
var durationType = reflect.TypeFor[time.Duration]()

// setValue parses raw according to the kind of field and stores it there.
// The error describes the value only; callers add the key name.
func setValue(field reflect.Value, raw string) error {
	raw = strings.TrimSpace(raw)
	switch {
	case field.Type() == durationType:
		d, err := time.ParseDuration(raw)
		if err != nil {
			return fmt.Errorf("invalid duration %q (want a Go duration such as \"10s\" or \"12h\")", raw)
		}
		field.SetInt(int64(d))
	case field.Kind() == reflect.String:
		field.SetString(raw)
	case field.Kind() == reflect.Int:
		n, err := strconv.ParseInt(raw, 10, 0)
		if err != nil {
			return fmt.Errorf("invalid integer %q", raw)
		}
		field.SetInt(n)
	case field.Kind() == reflect.Bool:
		v, err := strconv.ParseBool(raw)
		if err != nil {
			return fmt.Errorf("invalid boolean %q (want true or false)", raw)
		}
		field.SetBool(v)
	default:
		// Reached only if a field of a new type is added without support
		// here; the tests catch that.
		return fmt.Errorf("unsupported setting type %s", field.Type())
	}
	return nil
}

// formatValue renders a field value the way setValue reads it back.
func formatValue(field reflect.Value) string {
	if field.Type() == durationType {
		return shortDuration(time.Duration(field.Int()))
	}
	switch field.Kind() {
	case reflect.String:
		return field.String()
	case reflect.Int:
		return strconv.FormatInt(field.Int(), 10)
	case reflect.Bool:
		return strconv.FormatBool(field.Bool())
	}
	return fmt.Sprint(field.Interface())
}

// shortDuration is time.Duration.String without zero minutes and seconds
// after whole hours or minutes: "12h" rather than "12h0m0s".
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// keyName names a key in messages: the YAML key and the environment variable.
func (k Key) keyName() string {
	return k.YAML + " (" + k.Env + ")"
}
