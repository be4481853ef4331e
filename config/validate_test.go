package config

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Config)
		want   string // substring of the error; "" means valid
	}{
		{"defaults", func(*Config) {}, ""},
		{"addr empty", func(c *Config) { c.Addr = "" }, "addr (HUB_ADDR): must not be empty"},
		{"addr without port", func(c *Config) { c.Addr = "8080" }, "addr (HUB_ADDR)"},
		{"addr with host", func(c *Config) { c.Addr = "127.0.0.1:8080" }, ""},
		{"data dir empty", func(c *Config) { c.DataDir = " " }, "dataDir (HUB_DATA_DIR)"},
		{"mongo uri scheme", func(c *Config) { c.MongoURI = "postgres://u:hunter2@db" }, "mongoUri (HUB_MONGO_URI)"},
		{"mongo uri ok", func(c *Config) { c.MongoURI = "mongodb+srv://u:p@cluster.example.com/?w=1" }, ""},
		{"mongo database empty", func(c *Config) { c.MongoURI, c.MongoDatabase = "mongodb://db", "" }, "mongoDatabase (HUB_MONGO_DATABASE)"},
		{"mongo database empty without mongo", func(c *Config) { c.MongoDatabase = "" }, ""},
		{"public url relative", func(c *Config) { c.PublicURL = "hub.example.com" }, "publicUrl (HUB_PUBLIC_URL)"},
		{"public url ftp", func(c *Config) { c.PublicURL = "ftp://hub.example.com" }, "publicUrl (HUB_PUBLIC_URL)"},
		{"public url no host", func(c *Config) { c.PublicURL = "https://" }, "has no host"},
		{"public url query", func(c *Config) { c.PublicURL = "https://h/?a=b" }, "query"},
		{"public url https with path", func(c *Config) { c.PublicURL = "https://example.com/hub/" }, ""},
		{"admin email", func(c *Config) { c.AdminEmail = "admin" }, "adminEmail (HUB_ADMIN_EMAIL)"},
		{"secret key short", func(c *Config) { c.SecretKey = "short" }, "secretKey (HUB_SECRET_KEY)"},
		{"session ttl zero", func(c *Config) { c.SessionTTL = 0 }, "sessionTtl (HUB_SESSION_TTL): must be greater than 0"},
		{"hold release negative", func(c *Config) { c.HoldReleaseInterval = -time.Second }, "holdReleaseInterval (HUB_HOLD_RELEASE_INTERVAL)"},
		{"shutdown timeout zero", func(c *Config) { c.ShutdownTimeout = 0 }, "shutdownTimeout (HUB_SHUTDOWN_TIMEOUT)"},
		{"bot handoff zero", func(c *Config) { c.BotHandoffAfter = 0 }, "botHandoffAfter (HUB_BOT_HANDOFF_AFTER): must be at least 1"},
		{"max body small", func(c *Config) { c.MaxBodyBytes = 1023 }, "maxBodyBytes (HUB_MAX_BODY_BYTES)"},
		{"max body 1024", func(c *Config) { c.MaxBodyBytes = 1024 }, ""},
		{"max message chars zero", func(c *Config) { c.MaxMessageChars = 0 }, "maxMessageChars (HUB_MAX_MESSAGE_CHARS)"},
		{"log level", func(c *Config) { c.LogLevel = "verbose" }, "logLevel (HUB_LOG_LEVEL)"},
		{"log level upper case", func(c *Config) { c.LogLevel = "INFO" }, "logLevel (HUB_LOG_LEVEL)"},
		{"log format", func(c *Config) { c.LogFormat = "xml" }, "logFormat (HUB_LOG_FORMAT)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			tt.change(&c)
			err := c.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tt.want != "" && err == nil:
				t.Errorf("Validate() = nil, want %q", tt.want)
			case tt.want != "" && !strings.Contains(err.Error(), tt.want):
				t.Errorf("Validate() = %q, want it to contain %q", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "hunter2") {
				t.Errorf("Validate() leaks a password: %v", err)
			}
		})
	}
}

func TestValidateReportsAll(t *testing.T) {
	c := Default()
	c.Addr, c.SessionTTL, c.LogFormat = "", 0, "xml"
	err := c.Validate()
	if err == nil {
		t.Fatal("want errors")
	}
	if n := len(strings.Split(err.Error(), "\n")); n != 3 {
		t.Errorf("got %d problems, want 3:\n%v", n, err)
	}
}

func TestRedaction(t *testing.T) {
	c := Default()
	c.AdminPassword = "admin-pass-1"
	c.SecretKey = "very-secret-signing-key"
	c.MongoURI = "mongodb://hub:mongo-pass-2@db1:27017,db2:27017/hub?authSource=admin"
	c.AdminEmail = "admin@example.com"

	r := c.Redacted()
	if r.MongoURI != "mongodb://hub:xxxxx@db1:27017,db2:27017/hub?authSource=admin" {
		t.Errorf("redacted MongoURI = %q", r.MongoURI)
	}
	if r.AdminPassword != "xxxxx" || r.SecretKey != "xxxxx" || r.AdminEmail != c.AdminEmail {
		t.Errorf("Redacted() = %+v", r)
	}
	if c.AdminPassword != "admin-pass-1" {
		t.Error("Redacted() changed the original")
	}

	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("starting", "config", c)
	outputs := map[string]string{
		"String":   c.String(),
		"%v":       fmt.Sprintf("%v", c),
		"%+v":      fmt.Sprintf("%+v", c),
		"slog":     logged.String(),
		"Redacted": fmt.Sprintf("%#v", r),
	}
	for name, out := range outputs {
		for _, secret := range []string{"admin-pass-1", "very-secret-signing-key", "mongo-pass-2"} {
			if strings.Contains(out, secret) {
				t.Errorf("%s output leaks %q: %s", name, secret, out)
			}
		}
	}
	for _, s := range []string{`addr=":8080"`, `sessionTtl="12h"`, `adminPassword="xxxxx"`, `mongoUri="mongodb://hub:xxxxx@db1`} {
		if !strings.Contains(c.String(), s) {
			t.Errorf("String() lacks %s: %s", s, c.String())
		}
	}
	if !strings.Contains(logged.String(), `"addr":":8080"`) {
		t.Errorf("slog output lacks addr: %s", logged.String())
	}
	if Default().Redacted() != Default() {
		t.Error("Redacted() changed empty secrets")
	}
}

func TestRedactURI(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"mongodb://db:27017", "mongodb://db:27017"},
		{"mongodb://user@db", "mongodb://user@db"},
		{"mongodb://u:p@db/x", "mongodb://u:xxxxx@db/x"},
		{"mongodb+srv://u:p%40ss@cluster.example.com/?retryWrites=true", "mongodb+srv://u:xxxxx@cluster.example.com/?retryWrites=true"},
		{"mongodb://u:p@ss/w@rd@db/x", "mongodb://u:xxxxx@db/x"},
		{"mongodb://db/x?note=a@b", "mongodb://db/x?note=a@b"},
		{"u:p@db", "xxxxx"},
	}
	for _, tt := range tests {
		if got := redactURI(tt.in); got != tt.want {
			t.Errorf("redactURI(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPublicBaseURL(t *testing.T) {
	tests := []struct{ addr, public, want string }{
		{":8080", "", "http://localhost:8080"},
		{"0.0.0.0:9000", "", "http://localhost:9000"},
		{"bad", "", "http://localhost"},
		{":8080", "https://hub.example.com/", "https://hub.example.com"},
		{":8080", "https://example.com/hub", "https://example.com/hub"},
	}
	for _, tt := range tests {
		c := Config{Addr: tt.addr, PublicURL: tt.public}
		if got := c.PublicBaseURL(); got != tt.want {
			t.Errorf("PublicBaseURL(%q, %q) = %q, want %q", tt.addr, tt.public, got, tt.want)
		}
	}
}

func TestSlogLevel(t *testing.T) {
	for level, want := range map[string]slog.Level{
		"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError, "": slog.LevelInfo,
	} {
		if got := (Config{LogLevel: level}).SlogLevel(); got != want {
			t.Errorf("SlogLevel(%q) = %v, want %v", level, got, want)
		}
	}
}
